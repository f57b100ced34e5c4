import { EvolveError, type Migration, migrationVersion } from '@evolve/core';

/** The schema version a migration id leads to: `0003_split_name` -> 3 (INVALID_MIGRATION otherwise). */
export const migrationSequence = migrationVersion;

/** Checks ids are well formed and strictly increasing in list order. */
export function validateMigrationList(migrations: readonly Migration[]): void {
  let previous: Migration | undefined;
  for (const migration of migrations) {
    const sequence = migrationSequence(migration.id);
    if (previous && sequence <= migrationSequence(previous.id)) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `migration ${migration.id} follows ${previous.id}: the list must be in increasing id order without duplicates`,
        { path: migration.id },
      );
    }
    previous = migration;
  }
}
