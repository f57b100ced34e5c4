import { applyChanges, emptySnapshot, type Migration, type Snapshot } from '@evolve/core';

/**
 * The snapshot before each migration of a list, replayed lazily from the empty schema and memoized,
 * so a run that compiles three pending migrations replays the history once.
 *
 * @example
 * const before = snapshotReplay(migrations); before(2) // the schema migration 2 starts from
 */
export function snapshotReplay(migrations: readonly Migration[]): (index: number) => Snapshot {
  const snapshots: Snapshot[] = [emptySnapshot()];
  return (index) => {
    for (let i = snapshots.length; i <= index; i++) {
      const migration = migrations[i - 1]!;
      snapshots.push(
        applyChanges(snapshots[i - 1]!, {
          from: migration.from,
          to: migration.to,
          changes: [...migration.changes],
        }),
      );
    }
    return snapshots[index]!;
  };
}
