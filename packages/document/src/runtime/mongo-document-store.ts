import { createRequire } from 'node:module';
import { EvolveError, type Row } from '@evolve/core';
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
import { expectationFilter, holdsExpectation, replaceClaimed, replaceWhere } from './mongo-replace-where.ts';
import { describeMongoServer } from './mongo-server.ts';
import { createWriteClaims, type WriteClaims } from './mongo-write-claims.ts';
import { DEFAULT_REVISION_FIELD } from './revision.ts';

/** Writes per `update` command on servers that need write claims (see `replaceWhere`). */
const FERRETDB_WRITES_PER_COMMAND = 16;

export interface MongoDocumentStoreOptions {
  /**
   * Whether writes take write claims first (see `createWriteClaims`): `'auto'` (default) asks the server
   * and claims where its filtered writes are not atomic (FerretDB); `true` always claims; `false` never
   * does (right only where filtered writes are atomic, as on MongoDB).
   */
  claims?: boolean | 'auto';
  /** The revision field every evolve write bumps (default `_rev`); claims are keyed by it. */
  revisionField?: string;
  /** How long a write claim lasts (default `CLAIM_LEASE_MS`, 30 s): see `createWriteClaims`. */
  claimLeaseMs?: number;
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
 * A DocumentStore over a MongoDB driver Collection: filters pass through natively, compare-and-set
 * writes a batch as one unordered `bulkWrite` of `replaceOne`s whose filters carry the expected version
 * and revision, checkpoints live in `evolve_sweeps`. On a server whose filtered writes are not atomic
 * (FerretDB 1.x) each batch first takes write claims in `evolve_claims` (see `createWriteClaims`), so
 * concurrent writers still never both win; there a batch costs a claim insert, one read that checks the
 * expectations, and writes by `_id` in commands of 16 (finished claims are deleted in batches later).
 *
 * @example
 * const store = createMongoDocumentStore(client.db('app').collection('users'));
 */
export function createMongoDocumentStore(
  collection: Collection<any>,
  options: MongoDocumentStoreOptions = {},
): DocumentStore {
  const mode = options.claims ?? 'auto';
  const rf = options.revisionField ?? DEFAULT_REVISION_FIELD;
  const claiming = async () =>
    mode === 'auto' ? !(await describeMongoServer(collection.db)).atomicConditionalWrites : mode;
  let claimBook: WriteClaims | undefined;
  /** Runs `write` over the writes this writer could claim, and gives the claims back after. */
  const claimed = async (
    writes: readonly CasWrite[],
    write: (mine: readonly CasWrite[], fresh: () => boolean) => Promise<boolean[]>,
  ): Promise<boolean[]> => {
    claimBook ??= createWriteClaims(collection.db, collection.collectionName, {
      ...(options.claimLeaseMs !== undefined ? { leaseMs: options.claimLeaseMs } : {}),
    });
    const claims = await claimBook.claim(writes);
    try {
      const mine = writes.filter((_, i) => claims.held[i]);
      const won = claims.fresh() ? await write(mine, claims.fresh) : mine.map(() => false);
      let k = 0;
      return writes.map((_, i) => (claims.held[i] ? won[k++] === true : false));
    } finally {
      claims.done();
    }
  };
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
      if (writes.length === 0) return [];
      if (!(await claiming())) return replaceWhere(collection, writes);
      // where claims are needed (FerretDB 1.x), so are small commands: see replaceWhere
      return claimed(writes, (mine, fresh) =>
        replaceClaimed(collection, mine, FERRETDB_WRITES_PER_COMMAND, fresh),
      );
    },
    async update(id, expect, update, read) {
      const apply = async (at: Expectation) =>
        (await collection.updateOne(expectationFilter(id, at), { ...update } as Document)).matchedCount === 1;
      if (!(await claiming())) return apply(expect);
      // A claim names the state the write leaves, revision included: an expectation without one takes
      // the revision the caller read (else the current one). A revision that moved on since is a conflict.
      let at = expect;
      if (!Object.hasOwn(expect, rf)) {
        const current = read ?? (await collection.findOne({ _id: id } as MongoFilter<Document>));
        if (!current) return false;
        at = { ...expect, [rf]: current[rf] };
      }
      // holding the claim, the expectation is checked here and the update filters by `_id` alone
      const [won] = await claimed([{ id, expect: at, doc: {} }], async (mine) => {
        if (mine.length === 0) return [];
        const current = await collection.findOne({ _id: id } as MongoFilter<Document>);
        if (!current || !holdsExpectation(current as Row, at)) return [false];
        await collection.updateOne({ _id: id } as MongoFilter<Document>, { ...update } as Document);
        return [true];
      });
      return won === true;
    },
    async delete(filter, find) {
      if (find?.limit) return (await collection.deleteOne(filter as MongoFilter<Document>)).deletedCount;
      return (await collection.deleteMany(filter as MongoFilter<Document>)).deletedCount;
    },
    async *aggregate(pipeline) {
      // a server that lists its stages (FerretDB) is asked first, so a missing one is named, not guessed at
      const info = await describeMongoServer(collection.db);
      const missing = info.aggregationStages
        ? pipeline.flatMap((stage) => Object.keys(stage)).filter((k) => !info.aggregationStages?.includes(k))
        : [];
      if (missing.length > 0) {
        throw new EvolveError(
          'UNSUPPORTED_CHANGE',
          `${info.flavor === 'ferretdb' ? 'FerretDB' : 'MongoDB'} ${info.version} does not run the aggregation stage(s) ${missing.join(', ')} (it runs ${info.aggregationStages?.join(', ')})`,
          { path: collection.collectionName },
        );
      }
      for await (const doc of collection.aggregate([...pipeline])) yield doc as Row;
    },
    checkpoints: createMongoCheckpointStore(collection),
  };
}
