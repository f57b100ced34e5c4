import type { Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDocumentTable,
  createMemoryDocumentStore,
  createSqlDocumentStore,
  type DocumentStore,
  type Filter,
  matchesFilter,
  versioned,
} from '../src/runtime/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';

const upgrader = createUserUpgrader();
const NAMES = ['Ada', 'Bob', 'Cy'];
const CITIES = ['Oslo', 'Rome'];

/** A document stored at version 1, 2 or 3 of the User model (old names at versions before 2). */
const storedDoc = (id: string) =>
  fc
    .record({
      version: fc.constantFrom(1, 2, 3),
      stamped: fc.boolean(),
      name: fc.constantFrom(...NAMES),
      city: fc.option(fc.constantFrom(...CITIES), { nil: undefined }),
    })
    .map(({ version, stamped, name, city }): Row => {
      if (version === 1) {
        const doc: Row = { _id: id, name, ...(city ? { address: { town: city } } : {}) };
        return stamped ? { ...doc, _v: 1 } : doc;
      }
      const doc: Row = { _id: id, _v: version, fullName: name, ...(city ? { address: { city } } : {}) };
      return version === 3 ? { ...doc, tags: [], upgradedTimes: 1 } : doc;
    });

const term: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .tuple(fc.constantFrom('fullName', 'address.city'), fc.constantFrom(...NAMES, ...CITIES, null))
    .map(([p, v]) => ({ [p]: v })),
  fc
    .tuple(
      fc.constantFrom('fullName', 'address.city'),
      fc.constantFrom('$eq', '$ne', '$gt', '$lte'),
      fc.constantFrom(...NAMES, ...CITIES),
    )
    .map(([p, op, v]) => ({ [p]: { [op]: v } })),
  fc
    .tuple(
      fc.constantFrom('fullName', 'address.city'),
      fc.constantFrom('$in', '$nin'),
      fc.subarray([...NAMES, ...CITIES]),
    )
    .map(([p, op, v]) => ({ [p]: { [op]: v } })),
  fc
    .tuple(fc.constantFrom('fullName', 'address.city', 'address'), fc.boolean())
    .map(([p, v]) => ({ [p]: { $exists: v } })),
);

const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  term,
  fc
    .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(term, { minLength: 1, maxLength: 3 }))
    .map(([op, c]) => ({ [op]: c })),
  fc.tuple(term, term).map(([a, b]) => ({ $and: [a, b] })),
);

const DOCS = fc.sample(
  fc.tuple(...Array.from({ length: 30 }, (_, i) => storedDoc(`u${String(i).padStart(2, '0')}`))),
  {
    numRuns: 1,
    seed: 3,
  },
)[0]!;

/** What a filter on current field names means: the documents whose upgraded form matches it. */
const expectedIds = (filter: Filter) =>
  DOCS.filter((d) => matchesFilter(upgrader.upgrade(d), filter)).map((d) => d._id);

function aliasProperty(store: () => DocumentStore) {
  it('finds exactly the documents whose upgraded form matches a filter on current names', async () => {
    const users = versioned(store(), upgrader);
    await fc.assert(
      fc.asyncProperty(filterArb, async (filter) => {
        const found = await users.find(filter, { sort: { _id: 1 } }).toArray();
        expect(found.map((d) => d._id)).toEqual(expectedIds(filter));
        expect(await users.countDocuments(filter)).toBe(found.length);
      }),
      { numRuns: 80, seed: 11 },
    );
  });
}

describe('memory: filters on renamed fields', () => {
  const store = createMemoryDocumentStore({ documents: DOCS });
  aliasProperty(() => store);
});

describeSqlEngines(
  'filters on renamed fields',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    let store: DocumentStore;
    beforeAll(async () => {
      const { db } = ctx();
      await createDocumentTable(db, { table: 'alias_docs' });
      store = createSqlDocumentStore(db, { table: 'alias_docs' });
      await store.insert(DOCS);
    });
    aliasProperty(() => store);
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);
