import { type Migration, replayMigrations, type Snapshot } from '@evolve/core';
import type { MigrationDirection } from './migrate-options.ts';

/** The schema at the start or end of a migration run in a direction; undefined when the history does not replay. */
export function schemaAt(
  migrations: readonly Migration[],
  id: string,
  direction: MigrationDirection,
  at: 'start' | 'end',
): Snapshot | undefined {
  try {
    const step = replayMigrations(migrations).steps.find((s) => s.migration.id === id);
    return (direction === 'up') === (at === 'end') ? step?.after : step?.before;
  } catch {
    return undefined;
  }
}
