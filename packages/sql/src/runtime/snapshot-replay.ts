import { type Migration, replayMigrations, type Snapshot } from '@evolve/core';

/**
 * The snapshot before each migration of a list, from core's replay of the history (computed on first
 * use and cached per list), so a run that compiles three pending migrations replays the history once.
 * Index `migrations.length` is the schema after the last one.
 *
 * @example
 * const before = snapshotReplay(migrations); before(2) // the schema migration 2 starts from
 */
export function snapshotReplay(migrations: readonly Migration[]): (index: number) => Snapshot {
  return (index) => {
    const replayed = replayMigrations(migrations);
    const step = replayed.steps[index];
    if (step) return step.before;
    if (index === replayed.steps.length) return replayed.latest;
    throw new RangeError(`no migration at index ${index}`);
  };
}
