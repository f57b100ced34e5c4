// With `validate: 'touched'`, the compiled check of an upgrade chain's result looks only at the members the chain touched (and the
// version it stamped). Proven here: for random valid documents of every version the result still fits the
// latest zod schema and the whole-document check, and equals the interpreter's; what the chain touched is
// still refused when wrong, including a shape change no op carries out.
import { deepFreeze, defineModel, defineSchema, type Row, toSnapshot } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileValidator, createUpgrader } from '../src/upgrader/index.ts';
import { touchedCheck, touchedMembers } from '../src/upgrader/touched-check.ts';
import { objectArbitrary } from './upgrader-arbitrary.ts';
import { buildHistory, Happening, sameDoc } from './upgrader-history.ts';

const history = buildHistory();
// the touched-only check, asked for: on every planned chain
const generated = createUpgrader({ model: 'Happening', migrations: history.generated, validate: 'touched' });
// a model given by name: the compiled check of the whole result (the default)
const compiled = createUpgrader({ model: 'Happening', migrations: history.generated });
const interpreted = createUpgrader({ model: 'Happening', migrations: history.interpreted });
const wholeCheck = compileValidator(generated.shapeAt(generated.latestVersion).fields);

const storedDoc = fc
  .integer({ min: 1, max: generated.latestVersion })
  .chain((version) =>
    fc
      .tuple(objectArbitrary(generated.shapeAt(version).fields), fc.integer({ min: 1, max: 1e6 }))
      .map(([doc, id]) => ({ version, doc: { _id: id, ...doc, _v: version } as Row })),
  );

function caught(fn: () => unknown): { code?: string; path?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; path?: string };
  }
  throw new Error('did not throw');
}

describe('checking only what an upgrade chain touched', () => {
  it('a valid document of any version upgrades to one the latest zod schema and the whole check accept, as the interpreter upgrades it', () => {
    fc.assert(
      fc.property(storedDoc, ({ doc }) => {
        const up = generated.upgrade(deepFreeze(doc));
        expect(Happening.schema.safeParse(up).success).toBe(true);
        expect(wholeCheck(up)).toBeUndefined();
        expect(up._v).toBe(generated.latestVersion);
        expect(sameDoc(up, interpreted.upgrade(doc))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('skips exactly the members no op touches and whose shape stays the same', () => {
    const steps = generated.history.steps;
    for (const version of generated.history.versions) {
      const chain = steps.filter((s) => s.to > version);
      const from = generated.shapeAt(version);
      const to = generated.shapeAt(generated.latestVersion);
      const members = touchedMembers(chain, from, to);
      for (const [name, field] of Object.entries(to.fields)) {
        const touched = chain.some((s) =>
          s.plan.up.some((op) =>
            op.op === 'move'
              ? op.from[0] === name || op.to[0] === name
              : op.op !== 'note' && op.path[0] === name,
          ),
        );
        const same = JSON.stringify(from.fields[name]) === JSON.stringify(field);
        expect(members.has(name)).toBe(touched || !same);
      }
    }
  });

  it('still refuses a wrong value in a member the chain touched, naming its path', () => {
    const v1 = history.generated.length > 0 ? generated.shapeAt(1) : undefined;
    expect(v1?.fields.items).toBeDefined();
    const doc: Row = {
      _id: 'e1',
      _v: 1,
      title: 'T',
      price: 3,
      tag: 'a',
      city: 'Lyon',
      status: 'open',
      items: [{ sku: 'a', qty: 'one' }],
    };
    const error = caught(() => generated.upgrade(doc));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.path).toBe('Happening.items.0.qty');
  });

  it('counts a member whose shape changed as touched even when no op of the chain names it', () => {
    // the planner gives every change it knows an op; a shape change without one must still be checked
    const shapeOf = (shape: z.ZodRawShape) =>
      toSnapshot(defineSchema([defineModel('Tag', { target: 'document', shape })])).models.Tag!;
    const from = shapeOf({ contact: z.string(), n: z.number().int(), gone: z.string() });
    const to = shapeOf({ contact: z.string().max(3), n: z.number().int(), added: z.string() });
    expect([...touchedMembers([], from, to)].sort()).toStrictEqual(['added', 'contact']);
    const check = touchedCheck([], { from, to, versionField: '_v', target: 2 });
    expect(check({ _v: 2, contact: 'abc', added: 'x', n: 'not checked' })).toBeUndefined();
    expect(check({ _v: 2, contact: 'abcd', added: 'x' })?.path).toStrictEqual(['contact']);
    expect(check({ _v: 2, contact: 'abc' })?.path).toStrictEqual(['added']);
    expect(check({ _v: 1, contact: 'abc', added: 'x' })?.path).toStrictEqual(['_v']);
  });

  it("is asked for: 'compiled' still refuses an invalid member the chain does not touch, 'touched' passes it as stored", () => {
    // from version 5 on (steps 5 -> 6 -> 7 -> 8), no op names `name` and its shape stays the same
    const version = 5;
    const untouched = 'name';
    const chain = generated.history.steps.filter((s) => s.to > version);
    const to = generated.shapeAt(generated.latestVersion);
    expect(touchedMembers(chain, generated.shapeAt(version), to).has(untouched)).toBe(false);
    expect(to.fields[untouched]?.type.kind).toBe('string');
    const valid = fc.sample(objectArbitrary(generated.shapeAt(version).fields), {
      numRuns: 1,
      seed: 7,
    })[0] as Row;
    const doc: Row = { _id: 'e2', ...valid, [untouched]: 42, _v: version };
    const error = caught(() => compiled.upgrade(doc));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.path).toBe(`Happening.${untouched}`);
    expect(generated.upgrade(doc)[untouched]).toBe(42);
  });
});
