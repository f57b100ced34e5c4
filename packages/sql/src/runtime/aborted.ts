import { EvolveError } from '@evolve/core';

/** The error of a run stopped by its AbortSignal; what finished stays recorded. */
export function aborted(id: string): EvolveError {
  return new EvolveError(
    'MIGRATION_FAILED',
    `migration ${id} stopped: the run was aborted; rerun to resume`,
    {
      path: id,
    },
  );
}
