import type { Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDocumentTable,
  createSqlDocumentStore,
  type DocumentStore,
  type Filter,
  matchesFilter,
  rewriteFilterAliases,
} from '../src/runtime/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createTestUpgrader } from './fixtures/runtime-upgrader.ts';

const scalar = fc.constantFrom<unknown>(0, 1, 2, 2.5, -3, 'x', 'y', 'z', '', true, false, null);
const comparable = fc.constantFrom<unknown>(0, 1, 2, 2.5, 'x', 'y', 'z', '');
const PATHS = ['a', 'b.c', 'b', 'd'] as const;

const docArb = (id: string) =>
  fc
    .record(
      {
        a: scalar,
        b: fc.oneof(fc.record({ c: scalar }, { requiredKeys: [] }), scalar),
        d: scalar,
      },
      { requiredKeys: [] },
    )
    .map((doc): Row => ({ _id: id, ...doc }));

const fieldTerm: fc.Arbitrary<Filter> = fc.oneof(
  fc.tuple(fc.constantFrom(...PATHS), scalar).map(([p, v]) => ({ [p]: v })),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.constantFrom('$eq', '$ne'), scalar)
    .map(([p, op, v]) => ({ [p]: { [op]: v } })),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.constantFrom('$gt', '$gte', '$lt', '$lte'), comparable)
    .map(([p, op, v]) => ({ [p]: { [op]: v } })),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.constantFrom('$in', '$nin'), fc.array(scalar, { maxLength: 3 }))
    .map(([p, op, v]) => ({ [p]: { [op]: v } })),
  fc.tuple(fc.constantFrom(...PATHS), fc.boolean()).map(([p, v]) => ({ [p]: { $exists: v } })),
  fc.constantFrom<Filter>({ _id: 'd03' }, { _id: { $gt: 'd10' } }, { _id: { $in: ['d01', 'd07', 'nope'] } }),
);

const filterArb: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fieldTerm,
    fc
      .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('filter'), { minLength: 1, maxLength: 3 }))
      .map(([op, children]) => ({ [op]: children })),
    fc.tuple(fieldTerm, fieldTerm).map(([x, y]) => ({ ...x, ...y })),
  ),
})).filter;

const DOCS = fc.sample(
  fc.tuple(...Array.from({ length: 24 }, (_, i) => docArb(`d${String(i).padStart(2, '0')}`))),
  {
    numRuns: 1,
    seed: 42,
  },
)[0]!;

describeSqlEngines(
  'SQL JSON filters agree with the in-memory matcher (MongoDB semantics)',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    let store: DocumentStore;
    beforeAll(async () => {
      const { db } = ctx();
      await createDocumentTable(db, { table: 'filter_docs' });
      store = createSqlDocumentStore(db, { table: 'filter_docs' });
      await store.insert(DOCS);
    });

    it('selects exactly the documents matchesFilter accepts, for random filters', async () => {
      await fc.assert(
        fc.asyncProperty(filterArb, async (filter) => {
          const expected = DOCS.filter((d) => matchesFilter(d, filter)).map((d) => d._id);
          const actual: unknown[] = [];
          for await (const doc of store.find(filter, { sort: { _id: 1 } })) actual.push(doc._id);
          expect(actual).toEqual(expected);
          expect(await store.count(filter)).toBe(expected.length);
        }),
        { numRuns: 80, seed: 7 },
      );
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);

describe('rewriteFilterAliases', () => {
  const upgrader = createTestUpgrader();

  it('leaves a filter without renamed fields untouched (same object)', () => {
    const filter = { age: { $gt: 3 }, $or: [{ a: 1 }] };
    expect(rewriteFilterAliases(filter, upgrader)).toBe(filter);
  });

  it('judges an old document by the value under its old name, for positive and negative conditions', () => {
    const docs: Row[] = [
      { _id: 1, name: 'Ada' },
      { _id: 2, _v: 2, fullName: 'Ada' },
      { _id: 3, _v: 3, fullName: 'Bob', name: 'Ada' },
      { _id: 4, _v: 1, name: 'Cy', address: { town: 'Oslo' } },
      { _id: 5, _v: 3, fullName: 'Di', address: { city: 'Oslo' } },
    ];
    const select = (filter: Filter) =>
      docs.filter((d) => matchesFilter(d, rewriteFilterAliases(filter, upgrader))).map((d) => d._id);
    expect(select({ fullName: 'Ada' })).toEqual([1, 2]);
    expect(select({ fullName: { $ne: 'Ada' } })).toEqual([3, 4, 5]);
    expect(select({ fullName: { $nin: ['Ada', 'Cy'] } })).toEqual([3, 5]);
    expect(select({ fullName: { $exists: false } })).toEqual([]);
    expect(select({ fullName: null })).toEqual([]);
    expect(select({ 'address.city': 'Oslo' })).toEqual([4, 5]);
    expect(select({ 'address.city': { $exists: false } })).toEqual([1, 2, 3]);
    expect(select({ $nor: [{ fullName: 'Ada' }] })).toEqual([3, 4, 5]);
  });
});
