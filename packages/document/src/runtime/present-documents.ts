import type { Row } from '@evolve/core';
import { expectationOf, nextRevision } from './revision.ts';
import type { VersionedContext } from './versioned-context.ts';

/** How a `versioned()` collection shows what it reads. */
export interface DocumentPresenter<T extends Row> {
  /** The latest shape of a raw document, keeping its id and revision. */
  upgradeRaw(raw: Row): Row;
  /**
   * A page of raw documents at the latest version; with `writeBack`, the upgraded ones are also replaced in
   * the store where their version and revision are still what was read (a lost race keeps the upgrade
   * for this read only).
   */
  present(raws: readonly Row[], writeBack: boolean): Promise<T[]>;
}

/**
 * The read path of a `versioned()` collection.
 *
 * @example
 * const stats = { upgraded: 0, writtenBack: 0, upgradedOnWrite: 0, conflicts: 0, writeBackErrors: 0 };
 * const { present } = documentPresenter({ store, upgrader, vf: '_v', rf: '_rev', stats });
 * const shown = await present([doc], true); // doc upgraded, and written back if still as read
 */
export function documentPresenter<T extends Row>(
  ctx: VersionedContext<T>,
  onWriteBackError?: (error: unknown, id: unknown) => void,
): DocumentPresenter<T> {
  const { store, upgrader, vf, rf, stats } = ctx;
  const upgradeRaw = (raw: Row): Row => {
    const upgraded = upgrader.upgrade(raw) as Row;
    const out: Row = { ...upgraded, _id: raw._id };
    if (raw[rf] !== undefined) out[rf] = raw[rf];
    return out;
  };

  const writeBack = async (writes: { index: number; raw: Row; doc: Row }[], shown: Row[]) => {
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
      for (const w of writes) onWriteBackError?.(error, w.raw._id);
    }
  };

  const present = async (raws: readonly Row[], write: boolean): Promise<T[]> => {
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
      if (write) writes.push({ index: shown.length, raw, doc: { ...doc, [rf]: nextRevision(raw, rf) } });
      shown.push(doc);
    }
    if (writes.length > 0) await writeBack(writes, shown);
    return shown as T[];
  };
  return { upgradeRaw, present };
}
