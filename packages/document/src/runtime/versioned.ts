import { EvolveError, type Row } from '@evolve/core';
import type { Collection } from 'mongodb';
import type { Upgrader } from '../upgrader-types.ts';
import type { DocumentStore } from './document-store.ts';
import type { Filter } from './filter.ts';
import { documentPresenter } from './present-documents.ts';
import { DEFAULT_REVISION_FIELD } from './revision.ts';
import { rewriteFilterAliases } from './rewrite-filter-aliases.ts';
import { toDocumentStore } from './to-document-store.ts';
import type {
  FindManyOptions,
  UpdateResultLike,
  VersionedCollection,
  VersionedOptions,
  VersionedStats,
} from './versioned-collection.ts';
import { VersionedCursor } from './versioned-cursor.ts';
import { versionedWrites } from './versioned-writes.ts';

const PRESERVING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$sample']);

function updateResult(matched: number): UpdateResultLike {
  return {
    acknowledged: true,
    matchedCount: matched,
    modifiedCount: matched,
    upsertedCount: 0,
    upsertedId: null,
  };
}

/**
 * Wraps a MongoDB driver Collection (or any DocumentStore) so that reads return documents upgraded to
 * the latest version, writes stamp the latest version and bump the revision, and filters on renamed
 * fields also match documents still stored under an old name. With `writeBack`, an upgraded document is
 * replaced in the store only if its version and revision are still what was read, so a concurrent
 * update is never lost (the loser skips; the next read upgrades again).
 *
 * @example
 * const users = versioned(client.db('app').collection('users'), upgrader, { writeBack: true });
 * const ada = await users.findOne({ fullName: 'Ada Lovelace' }); // also finds { name: 'Ada Lovelace', _v: 1 }
 */
export function versioned<T extends Row = Row>(
  collection: Collection<any> | DocumentStore,
  upgrader: Upgrader<T>,
  options: VersionedOptions = {},
): VersionedCollection<T> {
  const store = toDocumentStore(collection);
  const vf = upgrader.versionField;
  const rf = options.revisionField ?? DEFAULT_REVISION_FIELD;
  const maxAttempts = options.maxAttempts ?? 100;
  const stats: VersionedStats = {
    upgraded: 0,
    writtenBack: 0,
    upgradedOnWrite: 0,
    conflicts: 0,
    writeBackErrors: 0,
  };
  const rewrite = (filter: Filter = {}) => rewriteFilterAliases(filter, upgrader);
  const ctx = { store, upgrader, vf, rf, stats };
  const { upgradeRaw, present } = documentPresenter(ctx, options.onWriteBackError);
  const { rewriteOne, applyTo, replaceWith, stamp } = versionedWrites(ctx, {
    maxAttempts,
    upgradeRaw,
  });

  const find = (filter?: Filter, findOptions: FindManyOptions = {}) =>
    new VersionedCursor<T>(
      (o) => store.find(rewrite(filter), o),
      (raws) => present(raws, options.writeBack === true),
      findOptions,
    );

  return {
    store,
    upgrader,
    stats,
    find,
    async findOne(filter, findOptions) {
      const cursor = find(filter, { ...findOptions, limit: 1 });
      try {
        return await cursor.next();
      } finally {
        await cursor.close();
      }
    },
    aggregate(pipeline, aggregateOptions = {}) {
      const { aggregate } = store;
      if (!aggregate) {
        throw new EvolveError(
          'UNSUPPORTED_CHANGE',
          `the ${store.name} store does not run aggregation pipelines`,
          {
            path: store.name,
          },
        );
      }
      const stages = pipeline.map((stage) =>
        '$match' in stage ? { ...stage, $match: rewrite(stage.$match as Filter) } : stage,
      );
      const preserving = pipeline.every((stage) => Object.keys(stage).every((k) => PRESERVING_STAGES.has(k)));
      const upgrade = aggregateOptions.upgrade ?? preserving;
      return new VersionedCursor<Row>(
        () => aggregate.call(store, stages),
        async (raws) => (upgrade ? present(raws, preserving && options.writeBack === true) : [...raws]),
      );
    },
    async countDocuments(filter) {
      return store.count(rewrite(filter));
    },
    async insertOne(doc) {
      const [insertedId] = await store.insert([stamp(doc)]);
      return { acknowledged: true, insertedId };
    },
    async insertMany(docs) {
      const ids = await store.insert(docs.map(stamp));
      return {
        acknowledged: true,
        insertedCount: ids.length,
        insertedIds: Object.fromEntries(ids.entries()),
      };
    },
    async updateOne(filter, update) {
      return updateResult(await rewriteOne(rewrite(filter), applyTo(update)));
    },
    async updateMany(filter, update) {
      const change = applyTo(update);
      let matched = 0;
      for await (const raw of store.find(rewrite(filter), { sort: { _id: 1 } })) {
        matched += await rewriteOne({ _id: raw._id }, change);
      }
      return updateResult(matched);
    },
    async replaceOne(filter, replacement) {
      return updateResult(await rewriteOne(rewrite(filter), replaceWith(replacement)));
    },
    async deleteOne(filter) {
      return { acknowledged: true, deletedCount: await store.delete(rewrite(filter), { limit: 1 }) };
    },
    async deleteMany(filter) {
      return { acknowledged: true, deletedCount: await store.delete(rewrite(filter)) };
    },
  };
}
