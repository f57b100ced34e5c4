import { applyChanges, emptySnapshot, type Migration, type Snapshot } from '@evolve/core';

/**
 * The snapshot before each migration and after the last: `snapshots[i]` is the schema migration `i` starts
 * from, `snapshots[migrations.length]` the latest. Replayed with core's `applyChanges`.
 *
 * @example
 * const latest = replaySnapshots(migrations).at(-1)!; // the schema after the last migration
 */
export function replaySnapshots(migrations: readonly Migration[]): Snapshot[] {
  const snapshots: Snapshot[] = [emptySnapshot()];
  for (const m of migrations) {
    const last = snapshots.at(-1)!;
    snapshots.push(applyChanges(last, { from: m.from, to: m.to, changes: [...m.changes] }));
  }
  return snapshots;
}
