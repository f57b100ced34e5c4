import { EvolveError, type Row } from '@evolve/core';
import { applyUpdate, assertUpdateSpec } from './apply-update.ts';
import type { Filter } from './filter.ts';
import { expectationOf, nextRevision } from './revision.ts';
import type { VersionedContext } from './versioned-context.ts';

/** The write path of a `versioned()` collection: every write validated, stamped and compare-and-set. */
export interface VersionedWrites {
  /** Read-modify-write of one document with compare-and-set, retried while other writers win; 0 or 1. */
  rewriteOne(filter: Filter, change: (raw: Row) => Promise<boolean>): Promise<number>;
  /** A change applying a MongoDB update spec (`$set`, `$inc`...) to a stored document. */
  applyTo(spec: Record<string, unknown>): (raw: Row) => Promise<boolean>;
  /** A change replacing a stored document (keeping its id, stamping version and revision). */
  replaceWith(replacement: Row): (raw: Row) => Promise<boolean>;
  /** A new document stamped with the latest version and a first revision, validated. */
  stamp(doc: Row): Row;
}

/**
 * The writes of a `versioned()` collection over `ctx`; `upgradeRaw` is its read path's upgrade.
 *
 * @example
 * const stats = { upgraded: 0, writtenBack: 0, upgradedOnWrite: 0, conflicts: 0, writeBackErrors: 0 };
 * const ctx = { store, upgrader, vf: '_v', rf: '_rev', stats };
 * const writes = versionedWrites(ctx, { maxAttempts: 100, upgradeRaw: documentPresenter(ctx).upgradeRaw });
 * await writes.rewriteOne({ _id: 'a' }, writes.applyTo({ $set: { fullName: 'Ada' } })); // 1
 */
export function versionedWrites(
  ctx: VersionedContext,
  options: { maxAttempts: number; upgradeRaw: (raw: Row) => Row },
): VersionedWrites {
  const { store, upgrader, vf, rf, stats } = ctx;
  const { maxAttempts, upgradeRaw } = options;

  /** Checks a document about to be written at the latest version (VALIDATION_FAILED names the field). */
  const validate = (doc: Row): void => {
    upgrader.upgrade({ ...doc, [vf]: upgrader.latestVersion });
  };

  return {
    async rewriteOne(filter, change) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const raw = await store.findOne(filter);
        if (!raw) return 0;
        if (await change(raw)) return 1;
        stats.conflicts++;
      }
      throw new EvolveError('WRITE_CONFLICT', `gave up after ${maxAttempts} conflicting writes`, {
        path: `${upgrader.model}`,
      });
    },
    applyTo(spec) {
      const update: object = spec;
      assertUpdateSpec(update);
      return async (raw) => {
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
    },
    replaceWith(replacement) {
      return async (raw) => {
        const doc = {
          ...replacement,
          _id: raw._id,
          [vf]: upgrader.latestVersion,
          [rf]: nextRevision(raw, rf),
        };
        validate(doc);
        const [won] = await store.compareAndSet([{ id: raw._id, expect: expectationOf(raw, vf, rf), doc }]);
        return won === true;
      };
    },
    stamp(doc) {
      const stamped = { ...doc, _id: doc._id ?? store.newId(), [vf]: upgrader.latestVersion, [rf]: 1 };
      validate(stamped);
      return stamped;
    },
  };
}
