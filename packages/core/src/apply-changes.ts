import { applyChange, type WorkingModels } from './apply-change.ts';
import { assertChangeSet } from './assert-change-set.ts';
import type { ChangeSet } from './change-types.ts';
import { cloneData } from './deep-equal.ts';
import { EvolveError } from './errors.ts';
import { assertSnapshot } from './parse-snapshot.ts';
import type { Snapshot } from './snapshot-types.ts';
import { makeSnapshot } from './to-snapshot.ts';

/**
 * Applies a change set to the snapshot it starts from and returns the resulting snapshot
 * (`applyChanges(a, diff(a, b)).hash === b.hash`). Changes apply in order, each to the state the
 * previous ones left. Throws `INVALID_CHANGESET` when `changeSet.from` is not the snapshot's hash, when a
 * change does not fit, or when the result's hash is not `changeSet.to`.
 *
 * @example
 * const next = applyChanges(prev, diff(prev, toSnapshot(schema)));
 */
export function applyChanges(snapshot: Snapshot, changeSet: ChangeSet): Snapshot {
  assertSnapshot(snapshot, 'snapshot');
  assertChangeSet(changeSet, 'changeSet');
  if (changeSet.from !== snapshot.hash) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `the change set starts from snapshot ${changeSet.from.slice(0, 12)}, not ${snapshot.hash.slice(0, 12)}`,
      { path: changeSet.from },
    );
  }
  const models: WorkingModels = cloneData(snapshot.models);
  for (const change of changeSet.changes) applyChange(models, change);
  const result = makeSnapshot(models);
  if (changeSet.to && result.hash !== changeSet.to) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `applying the change set gives snapshot ${result.hash.slice(0, 12)}, not ${changeSet.to.slice(0, 12)}`,
      { path: changeSet.to },
    );
  }
  return result;
}
