import { randomUUID } from 'node:crypto';
import { EvolveError, type Row } from '@evolve/core';
import { applyUpdate, type UpdateSpec } from './apply-update.ts';
import { checkDepth } from './check-depth.ts';
import { compareValues, valuesEqual } from './compare-values.ts';
import type { CasWrite, CheckpointStore, DocumentStore, Expectation, FindOptions } from './document-store.ts';
import type { Filter } from './filter.ts';
import { matchesFilter } from './matches-filter.ts';
import { sortComparator } from './sort-comparator.ts';

function holds(doc: Row, expect: Expectation): boolean {
  return Object.entries(expect).every(([field, value]) =>
    value === undefined ? doc[field] === undefined : valuesEqual(doc[field], value),
  );
}

function idKey(id: unknown): string {
  return typeof id === 'string' ? `s:${id}` : `j:${String(id)}:${JSON.stringify(id)}`;
}

/**
 * A DocumentStore kept in memory, for unit tests and examples. Documents are copied in and out.
 *
 * @example
 * const users = createMemoryDocumentStore({ name: 'users', documents: [{ _id: 'a', name: 'Ada' }] });
 * const app = versioned(users, upgrader);
 */
export function createMemoryDocumentStore(
  options: { name?: string; documents?: readonly Row[] } = {},
): DocumentStore {
  const docs = new Map<string, Row>();
  const sweeps = new Map<string, string>();
  const insertOne = (doc: Row): unknown => {
    const copy = structuredClone(doc);
    if (copy._id === undefined) copy._id = randomUUID();
    const key = idKey(copy._id);
    if (docs.has(key)) {
      throw new EvolveError('WRITE_CONFLICT', `duplicate _id ${String(copy._id)}`, {
        path: String(copy._id),
      });
    }
    docs.set(key, copy);
    return copy._id;
  };
  for (const doc of options.documents ?? []) insertOne(doc);

  const select = (filter: Filter, find: FindOptions = {}): Row[] => {
    let rows = [...docs.values()].filter((d) => matchesFilter(d, filter));
    if (find.after !== undefined) rows = rows.filter((d) => compareValues(d._id, find.after) > 0);
    if (find.sort) rows.sort(sortComparator(find.sort));
    const start = find.skip ?? 0;
    return rows.slice(start, find.limit === undefined ? undefined : start + find.limit);
  };

  const checkpoints: CheckpointStore = {
    async load(key) {
      const raw = sweeps.get(key);
      return raw === undefined ? undefined : JSON.parse(raw);
    },
    async save(key, checkpoint) {
      sweeps.set(key, JSON.stringify(checkpoint));
    },
    async clear(key) {
      sweeps.delete(key);
    },
  };

  return {
    kind: 'document-store',
    name: options.name ?? 'documents',
    newId: () => randomUUID(),
    async *find(filter, find) {
      for (const row of select(filter, find)) yield structuredClone(row);
    },
    async findOne(filter, find) {
      const row = select(filter, { ...find, limit: 1 })[0];
      return row === undefined ? null : structuredClone(row);
    },
    async count(filter) {
      return select(filter).length;
    },
    async insert(rows) {
      for (const row of rows) {
        checkDepth(row);
        if (row._id !== undefined && docs.has(idKey(row._id))) {
          throw new EvolveError('WRITE_CONFLICT', `duplicate _id ${String(row._id)}`, {
            path: String(row._id),
          });
        }
      }
      return rows.map(insertOne);
    },
    async compareAndSet(writes: readonly CasWrite[]) {
      return writes.map((write) => {
        const key = idKey(write.id);
        const current = docs.get(key);
        if (!current || !holds(current, write.expect)) return false;
        docs.set(key, { ...structuredClone(write.doc), _id: current._id });
        return true;
      });
    },
    async update(id: unknown, expect: Expectation, update: UpdateSpec) {
      const key = idKey(id);
      const current = docs.get(key);
      if (!current || !holds(current, expect)) return false;
      docs.set(key, { ...applyUpdate(current, update), _id: current._id });
      return true;
    },
    async delete(filter, find) {
      const rows = select(filter, { sort: { _id: 1 }, ...(find?.limit ? { limit: 1 } : {}) });
      for (const row of rows) docs.delete(idKey(row._id));
      return rows.length;
    },
    checkpoints,
  };
}
