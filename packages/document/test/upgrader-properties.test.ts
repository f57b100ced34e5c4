import { deepFreeze, isEvolveError, type Row, type TypeSnapshot } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runConversion } from '../src/upgrader/compile-step.ts';
import {
  compileStep,
  compileValidator,
  createUpgrader,
  planConversion,
  zodFromSnapshot,
} from '../src/upgrader/index.ts';
import { objectArbitrary, typeArbitrary } from './upgrader-arbitrary.ts';
import { buildHistory, Happening, sameDoc } from './upgrader-history.ts';

const RUNS = { numRuns: 300 };
const history = buildHistory();
const generated = createUpgrader({ model: Happening, migrations: history.generated });
const interpreted = createUpgrader({ model: 'Happening', migrations: history.interpreted });

const zods = new Map<number, ReturnType<typeof zodFromSnapshot>>();
const zodAt = (version: number) => {
  let schema = zods.get(version);
  if (!schema) {
    schema = zodFromSnapshot(generated.shapeAt(version));
    zods.set(version, schema);
  }
  return schema;
};

/** A document stored at a random version of the history (no version field at the creating version, sometimes). */
const storedDoc = fc.integer({ min: 1, max: generated.latestVersion }).chain((version) =>
  fc
    .tuple(
      objectArbitrary(generated.shapeAt(version).fields),
      fc.integer({ min: 1, max: 1e6 }),
      fc.boolean(),
      fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
    )
    .map(([doc, id, omitVersion, extra]) => {
      // sometimes a member no version of the schema describes: it must survive every step
      const out: Row = { _id: id, ...doc, ...(extra === undefined ? {} : { extraMember: extra }) };
      if (!(omitVersion && version === generated.createdVersion)) out._v = version;
      return { version, doc: out };
    }),
);

/** Runs a function and returns its result or the error code it threw. */
function outcome(fn: () => unknown): { ok: unknown } | { code: string } {
  try {
    return { ok: fn() };
  } catch (error) {
    if (isEvolveError(error)) return { code: error.code };
    throw error;
  }
}

describe('upgrader properties (random documents of every version)', () => {
  it('upgrade output always validates against the latest zod schema and carries the latest version', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc }) => {
        // frozen: an upgrade that wrote into the document it was given would throw here
        const up = generated.upgrade(deepFreeze(doc));
        expect(Happening.schema.safeParse(up).success).toBe(true);
        expect(up._v).toBe(generated.latestVersion);
        expect(up._id).toBe(doc._id);
        expect(sameDoc(up.extraMember, doc.extraMember)).toBe(true);
      }),
      RUNS,
    );
  });

  it('upgrading twice changes nothing', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc }) => {
        const once = generated.upgrade(doc);
        expect(generated.upgrade(once)).toBe(once);
        expect(sameDoc(generated.upgrade({ ...once }), once)).toBe(true);
      }),
      RUNS,
    );
  });

  it('generated upgraders and the interpreter agree on whole chains', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc }) => {
        // frozen: each chain copies only what its steps edit, and must never write into the rest
        const frozen = deepFreeze(doc);
        expect(sameDoc(interpreted.upgrade(frozen), generated.upgrade(frozen))).toBe(true);
      }),
      RUNS,
    );
  });

  it('the in-place chain (copying only what it edits) gives what applying each pure step in turn gives', () => {
    fc.assert(
      fc.property(storedDoc, ({ version, doc }) => {
        for (const upgrader of [generated, interpreted]) {
          let out: Row = doc;
          for (const step of upgrader.history.steps)
            if (step.to > version) out = step.up(out, step.transforms);
          const expected = { ...out, _v: upgrader.latestVersion };
          expect(sameDoc(upgrader.upgrade(deepFreeze(doc)), expected)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('down(up(x)) equals x for every lossless step', () => {
    const lossless = generated.history.steps.filter((s) => s.plan.lossless);
    expect(lossless.map((s) => s.to)).toStrictEqual([2, 3, 5, 6]);
    const arb = fc
      .constantFrom(...lossless)
      .chain((step) => objectArbitrary(generated.shapeAt(step.from).fields).map((doc) => ({ step, doc })));
    fc.assert(
      fc.property(arb, ({ step, doc }) => {
        const up = step.up(doc, step.transforms);
        expect(sameDoc(step.down(up, {}), doc)).toBe(true);
      }),
      RUNS,
    );
  });

  it('each generated step agrees with the interpreter in both directions, errors included', () => {
    const steps = generated.history.steps;
    const arb = fc
      .constantFrom(...steps)
      .chain((step) =>
        fc
          .tuple(
            objectArbitrary(generated.shapeAt(step.from).fields),
            objectArbitrary(generated.shapeAt(step.to).fields),
          )
          .map(([older, newer]) => ({ step, older, newer })),
      );
    fc.assert(
      fc.property(arb, ({ step, older, newer }) => {
        const up = compileStep(step.plan.up, step.plan.model, step.plan.before);
        const down = compileStep(step.plan.down, step.plan.previousModel, step.plan.after);
        const a = outcome(() => step.up(older, step.transforms));
        const b = outcome(() => up(older, step.transforms));
        expect('ok' in a && 'ok' in b ? sameDoc(a.ok, b.ok) : a).toStrictEqual(
          'ok' in a && 'ok' in b ? true : b,
        );
        const c = outcome(() => step.down(newer, {}));
        const d = outcome(() => down(newer, {}));
        expect('ok' in c && 'ok' in d ? sameDoc(c.ok, d.ok) : c).toStrictEqual(
          'ok' in c && 'ok' in d ? true : d,
        );
      }),
      RUNS,
    );
  });

  it('a downgrade gives a document valid at its target version, or refuses it clearly', () => {
    fc.assert(
      fc.property(storedDoc, fc.integer({ min: 1, max: 8 }), ({ doc }, target) => {
        const result = outcome(() => generated.downgrade(deepFreeze(generated.upgrade(doc)), target));
        if ('code' in result) {
          expect(['TRANSFORM_FAILED', 'TODO_TRANSFORM']).toContain(result.code);
          return;
        }
        const down = result.ok as Row;
        expect(down._v).toBe(target);
        expect(zodAt(target).safeParse(down).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('the compiled validator accepts every document zod accepts', () => {
    fc.assert(
      fc.property(storedDoc, ({ version, doc }) => {
        const shape = generated.shapeAt(version);
        expect(zodAt(version).safeParse(doc).success).toBe(true);
        expect(compileValidator(shape.fields)(doc)).toBeUndefined();
      }),
      RUNS,
    );
  });
});

describe('conversion properties (random scalar type pairs)', () => {
  const scalar: fc.Arbitrary<TypeSnapshot> = fc.constantFrom<TypeSnapshot>(
    { kind: 'string' } as const,
    { kind: 'number', integer: true } as const,
    { kind: 'number', integer: false } as const,
    { kind: 'boolean' } as const,
    { kind: 'bigint' } as const,
    { kind: 'date' } as const,
    { kind: 'enum', values: ['a', 'b'] } as const,
  );
  const wrapped = fc.oneof(
    scalar,
    scalar.map(
      (t): TypeSnapshot => ({ kind: 'array', element: { type: t, nullable: false, optional: false } }),
    ),
  );

  it('a total conversion never throws, and a lossless one converts back to the same value', () => {
    const arb = fc
      .tuple(wrapped, wrapped)
      .map(([from, to]) => ({ from, to, plan: planConversion(from, to), back: planConversion(to, from) }))
      .filter((p) => p.plan?.total === true)
      .chain((p) => typeArbitrary(p.from).map((value) => ({ ...p, value })));
    fc.assert(
      fc.property(arb, ({ plan, back, value }) => {
        const converted = runConversion(plan?.steps ?? [], value, 'x');
        if (plan?.lossless && back)
          expect(sameDoc(runConversion(back.steps, converted, 'x'), value)).toBe(true);
      }),
      RUNS,
    );
  });
});
