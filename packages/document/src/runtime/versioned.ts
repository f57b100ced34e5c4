import { EvolveError, type Row } from '@evolve/core';
import type { Collection } from 'mongodb';
import type { Upgrader } from '../upgrader-types.ts';
import { applyUpdate, assertUpdateSpec } from './apply-update.ts';
import type { DocumentStore } from './document-store.ts';
import type { Filter } from './filter.ts';
import { DEFAULT_REVISION_FIELD, expectationOf, nextRevision } from './revision.ts';
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

  /** The latest shape of a raw document, keeping its id and revision. */
  const upgradeRaw = (raw: Row): Row => {
    const upgraded = upgrader.upgrade(raw) as Row;
    const out: Row = { ...upgraded, _id: raw._id };
    if (raw[rf] !== undefined) out[rf] = raw[rf];
    return out;
  };

  const present = async (raws: readonly Row[], writeBack: boolean): Promise<T[]> => {
    // Fast path: a page already at the latest version is returned as read.
    let outdated = false;
    for (const raw of raws) {
      if (upgrader.needsUpgrade(raw)) {
        outdated = true;
        break;
      }
    }
    if (!outdated) return raws as T[];
    const shown: Row[] = [];
    const writes: { index: number; raw: Row; doc: Row }[] = [];
    for (const raw of raws) {
      if (!upgrader.needsUpgrade(raw)) {
        shown.push(raw);
        continue;
      }
      const doc = upgradeRaw(raw);
      stats.upgraded++;
      if (writeBack) writes.push({ index: shown.length, raw, doc: { ...doc, [rf]: nextRevision(raw, rf) } });
      shown.push(doc);
    }
    if (writes.length > 0) {
      try {
        const won = await store.compareAndSet(
          writes.map((w) => ({ id: w.raw._id, expect: expectationOf(w.raw, vf, rf), doc: w.doc })),
        );
        won.forEach((ok, i) => {
          const w = writes[i]!;
          if (ok) {
            stats.writtenBack++;
            shown[w.index] = w.doc;
          } else {
            stats.conflicts++;
          }
        });
      } catch (error) {
        stats.writeBackErrors += writes.length;
        for (const w of writes) options.onWriteBackError?.(error, w.raw._id);
      }
    }
    return shown as T[];
  };

  const find = (filter?: Filter, findOptions: FindManyOptions = {}) =>
    new VersionedCursor<T>(
      (o) => store.find(rewrite(filter), o),
      (raws) => present(raws, options.writeBack === true),
      findOptions,
    );

  /** Read-modify-write of one document with compare-and-set, retried while other writers win. */
  const rewriteOne = async (filter: Filter, change: (raw: Row) => Promise<boolean>): Promise<number> => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const raw = await store.findOne(filter);
      if (!raw) return 0;
      if (await change(raw)) return 1;
      stats.conflicts++;
    }
    throw new EvolveError('WRITE_CONFLICT', `gave up after ${maxAttempts} conflicting writes`, {
      path: `${upgrader.model}`,
    });
  };

  /** Checks a document about to be written at the latest version (VALIDATION_FAILED names the field). */
  const validate = (doc: Row): void => {
    upgrader.upgrade({ ...doc, [vf]: upgrader.latestVersion });
  };

  const applyTo = (spec: Record<string, unknown>) => {
    const update: object = spec;
    assertUpdateSpec(update);
    return async (raw: Row): Promise<boolean> => {
      if (!upgrader.needsUpgrade(raw)) {
        // Validate the result as it would be now; the update itself stays atomic in the store.
        validate(applyUpdate(raw, update));
        const inc = { ...update.$inc, [rf]: 1 };
        return store.update(raw._id, { [vf]: raw[vf] }, { ...update, $inc: inc }, raw);
      }
      const next = applyUpdate(upgradeRaw(raw), update);
      validate(next);
      next[rf] = nextRevision(raw, rf);
      stats.upgraded++;
      const [won] = await store.compareAndSet([
        { id: raw._id, expect: expectationOf(raw, vf, rf), doc: next },
      ]);
      if (won) stats.upgradedOnWrite++;
      return won === true;
    };
  };

  /** A new document stamped with the latest version and a first revision, validated. */
  const stamp = (doc: Row): Row => {
    const stamped = { ...doc, _id: doc._id ?? store.newId(), [vf]: upgrader.latestVersion, [rf]: 1 };
    validate(stamped);
    return stamped;
  };

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
      const matched = await rewriteOne(rewrite(filter), async (raw) => {
        const doc = {
          ...replacement,
          _id: raw._id,
          [vf]: upgrader.latestVersion,
          [rf]: nextRevision(raw, rf),
        };
        validate(doc);
        const [won] = await store.compareAndSet([{ id: raw._id, expect: expectationOf(raw, vf, rf), doc }]);
        return won === true;
      });
      return updateResult(matched);
    },
    async deleteOne(filter) {
      return { acknowledged: true, deletedCount: await store.delete(rewrite(filter), { limit: 1 }) };
    },
    async deleteMany(filter) {
      return { acknowledged: true, deletedCount: await store.delete(rewrite(filter)) };
    },
  };
}
