import { EvolveError, type Migration } from '@evolve/core';

const ID = /^(\d+)_[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The schema version a migration id leads to: `0003_split_name` -> 3. */
export function migrationSequence(id: string): number {
  const match = ID.exec(id);
  if (!match) {
    throw new EvolveError('INVALID_MIGRATION', `migration id "${id}" is not NNNN_slug`, { path: id });
  }
  return Number(match[1]);
}

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
