import { EvolveError, isEvolveError } from '@evolve/core';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';

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

/**
 * The error of a run as CONNECTION_LOST when it, or an error it wraps, is a lost connection as the dialect
 * tells; undefined otherwise. The message keeps the original one, which names the migration and the step.
 *
 * @example
 * if (result.error) asConnectionLost(result.error, capabilitiesFor(db))?.code; // 'CONNECTION_LOST' after pg_terminate_backend mid-backfill
 */
export function asConnectionLost(error: EvolveError, caps: DialectCapabilities): EvolveError | undefined {
  if (error.code === 'CONNECTION_LOST') return error;
  let cause: unknown = error;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 8; depth++) {
    if (caps.isConnectionLost(cause)) {
      return new EvolveError(
        'CONNECTION_LOST',
        `the database connection was lost: ${error.message}; what finished is recorded, rerun to resume`,
        { cause: error, ...(error.path ? { path: error.path } : {}) },
      );
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
