import { EvolveError, isEvolveError } from '@evolve/core';

/** Any thrown value as an EvolveError (MIGRATION_FAILED naming the migration when it is not one already). */
export function asEvolveError(error: unknown, migrationId?: string): EvolveError {
  if (isEvolveError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EvolveError(
    'MIGRATION_FAILED',
    migrationId ? `migration ${migrationId} failed: ${message}` : `migrate failed: ${message}`,
    { cause: error, ...(migrationId ? { path: migrationId } : {}) },
  );
}
