import { createRequire } from 'node:module';
import type { Row } from '@evolve/core';
import type { Collection, Document, Filter as MongoFilter, ObjectId } from 'mongodb';

// The driver is loaded only when a MongoDB store mints an id, so importing @evolve/document does not load
// mongodb for applications that use the SQL or in-memory stores.
let objectIdClass: (new () => ObjectId) | undefined;
const newObjectId = (): ObjectId => {
  objectIdClass ??= (createRequire(import.meta.url)('mongodb') as { ObjectId: new () => ObjectId }).ObjectId;
  return new objectIdClass();
};

import type {
  CasWrite,
  CheckpointStore,
  DocumentStore,
  Expectation,
  FindOptions,
  SweepCheckpoint,
} from './document-store.ts';
import type { Filter } from './filter.ts';

function expectationFilter(id: unknown, expect: Expectation): MongoFilter<Document> {
  const filter: Record<string, unknown> = { _id: id };
  for (const [field, value] of Object.entries(expect)) {
    filter[field] = value === undefined ? { $exists: false } : value;
  }
  return filter;
}

function withAfter(filter: Filter, after: unknown): MongoFilter<Document> {
  if (after === undefined) return filter as MongoFilter<Document>;
  return { $and: [filter, { _id: { $gt: after } }] } as MongoFilter<Document>;
}

function createMongoCheckpointStore(collection: Collection<Document>): CheckpointStore {
  const sweeps = collection.db.collection<{ _id: string } & SweepCheckpoint>('evolve_sweeps');
  return {
    async load(key) {
      const found = await sweeps.findOne({ _id: key });
      if (!found) return undefined;
      const { _id, ...checkpoint } = found;
      return checkpoint;
    },
    async save(key, checkpoint) {
      await sweeps.replaceOne({ _id: key }, checkpoint, { upsert: true });
    },
    async clear(key) {
      await sweeps.deleteOne({ _id: key });
    },
  };
}

/**
 * A DocumentStore over a MongoDB driver Collection: filters pass through natively, compare-and-set is a
 * `replaceOne` whose filter carries the expected version and revision, checkpoints live in `evolve_sweeps`.
 *
 * @example
 * const store = createMongoDocumentStore(client.db('app').collection('users'));
 */
export function createMongoDocumentStore(collection: Collection<any>): DocumentStore {
  const cursorFor = (filter: Filter, find: FindOptions = {}) => {
    const cursor = collection.find(withAfter(filter, find.after));
    if (find.sort) cursor.sort({ ...find.sort });
    if (find.skip) cursor.skip(find.skip);
    if (find.limit !== undefined) cursor.limit(find.limit);
    return cursor;
  };
  return {
    kind: 'document-store',
    name: collection.collectionName,
    newId: newObjectId,
    async *find(filter, find) {
      for await (const doc of cursorFor(filter, find)) yield doc as Row;
    },
    async findOne(filter, find) {
      const [doc] = await cursorFor(filter, { ...find, limit: 1 }).toArray();
      return (doc as Row | undefined) ?? null;
    },
    async count(filter) {
      return collection.countDocuments(filter as MongoFilter<Document>);
    },
    async insert(docs) {
      if (docs.length === 0) return [];
      const copies = docs.map((d) => ({ ...d }));
      const result = await collection.insertMany(copies);
      return copies.map((_, i) => result.insertedIds[i]);
    },
    async compareAndSet(writes: readonly CasWrite[]) {
      return Promise.all(
        writes.map(async (write) => {
          const { _id, ...doc } = write.doc;
          const result = await collection.replaceOne(expectationFilter(write.id, write.expect), doc);
          return result.matchedCount === 1;
        }),
      );
    },
    async update(id, expect, update) {
      const result = await collection.updateOne(expectationFilter(id, expect), { ...update } as Document);
      return result.matchedCount === 1;
    },
    async delete(filter, find) {
      if (find?.limit) return (await collection.deleteOne(filter as MongoFilter<Document>)).deletedCount;
      return (await collection.deleteMany(filter as MongoFilter<Document>)).deletedCount;
    },
    async *aggregate(pipeline) {
      for await (const doc of collection.aggregate([...pipeline])) yield doc as Row;
    },
    checkpoints: createMongoCheckpointStore(collection),
  };
}
