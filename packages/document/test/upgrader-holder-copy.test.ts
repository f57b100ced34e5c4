// A chain that edits only inside some members copies the document's top level as it is (a "holder": no
// step adds or removes a member there). A document with exactly the members the chain's versions give it
// is copied by an object literal in the model's member order (as the interpreter's working copy is);
// anything else (a member absent, one no version has, an unversioned document) by a spread. Either way
// the result has the interpreter's members and values, and the input is left untouched.
import { deepFreeze, defineModel, type Row } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';
import { objectArbitrary } from './upgrader-arbitrary.ts';
import { buildHistory, type SCHEMAS, sameDoc } from './upgrader-history.ts';

const order = (shape: z.ZodRawShape) => defineModel('Order', { target: 'document', shape });
const HISTORY: typeof SCHEMAS = [
  {
    models: [
      order({
        meta: z.object({ a: z.string() }),
        lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })),
        note: z.string().optional(),
      }),
    ],
  },
  {
    // edits inside `meta` and inside the elements of `lines` only
    models: [
      order({
        meta: z.object({ a: z.string(), d: z.string().default('generated') }),
        lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), unit: z.string().default('pc') })),
        note: z.string().optional(),
      }),
    ],
  },
];

const built = buildHistory(HISTORY);
const generated = createUpgrader({ model: 'Order', migrations: built.generated });
const interpreted = createUpgrader({ model: 'Order', migrations: built.interpreted });
const v1 = generated.shapeAt(1).fields;

/** A version-1 document, its members shuffled, sometimes one dropped, an extra one, or no version. */
const stored = fc
  .tuple(
    objectArbitrary(v1),
    fc.integer({ min: 1, max: 1e6 }),
    fc.boolean(),
    fc.option(fc.constantFrom('extra', 'zz'), { nil: undefined }),
    fc.infiniteStream(fc.double()),
  )
  .map(([doc, id, versioned, extra, noise]) => {
    const members: Array<[string, unknown]> = Object.entries({
      _id: id,
      ...doc,
      ...(versioned ? { _v: 1 } : {}),
      ...(extra ? { [extra]: 'x' } : {}),
    });
    const it = noise[Symbol.iterator]();
    const keyed = members.map((m) => [it.next().value as number, m] as const);
    keyed.sort((a, b) => a[0] - b[0]);
    return Object.fromEntries(keyed.map(([, m]) => m)) as Row;
  });

describe('copying the top level of a chain that edits only inside members', () => {
  it('gives the interpreter\u2019s members and values for any member order, absent or extra members', () => {
    fc.assert(
      fc.property(stored, (doc) => {
        const up = generated.upgrade(deepFreeze(doc));
        expect(sameDoc(up, interpreted.upgrade(doc))).toBe(true);
        expect(Object.keys(up).sort()).toStrictEqual(Object.keys(interpreted.upgrade(doc)).sort());
        expect(up._v).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  it('a document with exactly its members, in any order, comes out in the model\u2019s member order', () => {
    const doc = deepFreeze({
      _v: 1,
      lines: [{ qty: 2, sku: 'p' }],
      note: 'n',
      meta: { a: 'x' },
      _id: 7,
    });
    const up = generated.upgrade(doc);
    // the key, the members in the snapshot's order, the version last (a spread kept the input's order)
    expect(Object.keys(up)).toStrictEqual(['_id', ...Object.keys(generated.shapeAt(2).fields), '_v']);
    expect(up).toStrictEqual({
      _id: 7,
      meta: { a: 'x', d: 'generated' },
      lines: [{ qty: 2, sku: 'p', unit: 'pc' }],
      note: 'n',
      _v: 2,
    });
    expect(doc).toStrictEqual({ _v: 1, lines: [{ qty: 2, sku: 'p' }], note: 'n', meta: { a: 'x' }, _id: 7 });
  });
});
