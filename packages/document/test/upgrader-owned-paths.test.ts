// Generated steps against the interpreter (the oracle) on a history made of nested edits: renames inside
// objects and into new nested objects, moves out of objects, adds, conversions, fills and drops inside
// objects and array elements, members named `constructor`, and parents that are missing, null or not
// objects; each step run in place on a working copy and on its own copy.
import { deepFreeze, defineModel, type Row } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader, emitDocumentSection } from '../src/upgrader/index.ts';
import { canon } from './fixtures/canon.ts';
import { objectArbitrary } from './upgrader-arbitrary.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const order = (shape: z.ZodRawShape) => defineModel('Order', { target: 'document', shape });

const NESTED: typeof SCHEMAS = [
  {
    models: [
      order({
        customer: z
          .object({ name: z.string(), city: z.string(), constructor: z.string(), tier: z.number().int() })
          .optional(),
        lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), note: z.string().optional() })),
        meta: z.object({
          tag: z.string(),
          level: z.enum(['a', 'b', 'c']),
          count: z.number().int().nullable(),
        }),
      }),
    ],
  },
  {
    // edits inside an object that need transforms (so this step runs on its own copy)
    models: [
      order({
        customer: z
          .object({ name: z.string(), city: z.string(), constructor: z.string(), tier: z.number().int() })
          .optional(),
        lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), note: z.string().optional() })),
        meta: z.object({ tag: z.string(), level: z.enum(['a', 'b']), count: z.number().int().default(0) }),
      }),
    ],
    transforms: { Order: { 'meta.level': () => 'b', 'meta.count': () => 0 } },
  },
  {
    // renames inside an object and into new nested objects, a move out of an object, edits in elements
    models: [
      order({
        customer: z
          .object({
            fullName: z.string(),
            maker: z.string(),
            tier: z.string(),
            vip: z.boolean().default(false),
          })
          .optional(),
        shipping: z.object({ address: z.object({ city: z.string() }).optional() }).optional(),
        lines: z.array(z.object({ code: z.string(), qty: z.string(), unit: z.string().default('pc') })),
        tag: z.string(),
        meta: z.object({ level: z.enum(['a', 'b']), count: z.number().int().default(0) }),
      }),
    ],
    renames: {
      'Order.customer.name': 'customer.fullName',
      'Order.customer.constructor': 'customer.maker',
      'Order.customer.city': 'shipping.address.city',
      'Order.lines.[].sku': 'lines.[].code',
      'Order.meta.tag': 'tag',
    },
    drops: ['Order.lines.[].note'],
  },
  {
    // a move up out of two levels, and a top-level field plunged two levels deep
    models: [
      order({
        customer: z
          .object({
            fullName: z.string(),
            maker: z.string(),
            tier: z.string(),
            vip: z.boolean().default(false),
          })
          .optional(),
        city: z.string().optional(),
        lines: z.array(z.object({ code: z.string(), qty: z.string(), unit: z.string().default('pc') })),
        labels: z.object({ first: z.object({ tag: z.string() }).optional() }).optional(),
        meta: z.object({ level: z.enum(['a', 'b']), count: z.number().int().default(0) }),
      }),
    ],
    renames: { 'Order.shipping.address.city': 'city', 'Order.tag': 'labels.first.tag' },
    drops: ['Order.shipping'],
  },
];

const history = buildHistory(NESTED);
const latest = NESTED[NESTED.length - 1]?.models[0] as ReturnType<typeof order>;
// both validate with the compiled check (zod's check is run on its own below)
const generated = createUpgrader({ model: 'Order', migrations: history.generated });
const interpreted = createUpgrader({ model: 'Order', migrations: history.interpreted });

/** Odd values where an object is expected: the walks must step over them as the helpers do. */
const odd = fc.constantFrom<unknown>(undefined, null, 'text', 7, [], [null, 'x'], new Date(0));

/** A stored document of a random version, sometimes with a parent (a field of that version) replaced by an odd value. */
const storedDoc = fc.integer({ min: 1, max: generated.latestVersion }).chain((version) =>
  fc
    .tuple(
      objectArbitrary(generated.shapeAt(version).fields),
      fc.option(fc.tuple(fc.constantFrom('customer', 'shipping', 'lines', 'meta', 'labels'), odd), {
        freq: 3,
        nil: undefined,
      }),
      fc.integer({ min: 1, max: 1e6 }),
    )
    .map(([doc, spoiled, id]) => {
      const out: Row = { _id: id, ...doc, _v: version };
      // only a field of this version: a member the version does not know is not where its steps look
      const spoil = spoiled && Object.hasOwn(generated.shapeAt(version).fields, spoiled[0]);
      if (spoil) out[spoiled[0]] = spoiled[1];
      return { version, doc: out, valid: !spoil };
    }),
);

function outcome(fn: () => Row): { ok: Row } | { code: string } {
  try {
    return { ok: fn() };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? String(error) };
  }
}

describe('written-out path edits (nested paths, arrays, missing parents)', () => {
  it('generated chains and the interpreter agree on every document, errors included', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc }) => {
        const frozen = deepFreeze(doc);
        const a = outcome(() => generated.upgrade(frozen));
        const b = outcome(() => interpreted.upgrade(frozen));
        if ('ok' in a && 'ok' in b) expect(canon(a.ok)).toStrictEqual(canon(b.ok));
        else expect(a).toStrictEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('each generated step, in place on a working copy and on its own copy, gives what the interpreter gives', () => {
    fc.assert(
      fc.property(storedDoc, ({ version, doc }) => {
        for (const step of generated.history.steps) {
          if (step.from !== version) continue;
          const oracle = interpreted.history.steps.find((s) => s.to === step.to);
          const expected = outcome(() => oracle?.up(structuredClone(doc), step.transforms, false) as Row);
          for (const owned of [false, true]) {
            // on its own copy the step must leave its input as it was: frozen, a write to it throws or is lost
            const input = owned ? structuredClone(doc) : deepFreeze(structuredClone(doc));
            const got = outcome(() => step.up(input, step.transforms, owned));
            if ('ok' in got && 'ok' in expected) expect(canon(got.ok)).toStrictEqual(canon(expected.ok));
            else expect(got).toStrictEqual(expected);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a valid document of any version upgrades to one the latest zod schema accepts', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc, valid }) => {
        fc.pre(valid);
        const up = generated.upgrade(deepFreeze(doc));
        expect(latest.schema.safeParse(up).success).toBe(true);
        expect(up._v).toBe(generated.latestVersion);
      }),
      { numRuns: 300 },
    );
  });

  it('emits the same source for a step whichever order its edits were planned in (no state leaks between ops)', () => {
    const again = buildHistory(NESTED);
    expect(again.sources).toStrictEqual(history.sources);
    expect(typeof emitDocumentSection).toBe('function');
  });
});
