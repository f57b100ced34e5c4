import { EvolveError, type Migration } from '@evolve/core';
import type { CompiledStep } from '../compiled-step.ts';
import type { MigrationDirection } from './migrate-options.ts';

/** Whether `path` (`User.email`) is covered by an acknowledgement (`*`, `User`, `User.email`). */
export function isAcknowledged(path: string | undefined, acknowledge: readonly string[]): boolean {
  if (acknowledge.includes('*')) return true;
  if (path === undefined) return false;
  return acknowledge.some((a) => path === a || path.startsWith(`${a}.`));
}

/**
 * Refuses destructive steps the migration does not acknowledge (and, going down, that the caller did not
 * accept with `acknowledgeDataLoss`). Throws UNACKNOWLEDGED_CHANGE naming the first one. Pure.
 */
export function checkAcknowledged(
  migration: Migration,
  steps: readonly CompiledStep[],
  options: { direction: MigrationDirection; acknowledgeDataLoss?: boolean | undefined },
): void {
  if (options.direction === 'down' && options.acknowledgeDataLoss) return;
  const acknowledge = migration.acknowledge ?? [];
  const refused = steps.filter((s) => s.destructive && !isAcknowledged(s.path, acknowledge));
  const first = refused[0];
  if (!first) return;
  const hint =
    options.direction === 'down'
      ? 'pass acknowledgeDataLoss: true to revert it anyway'
      : `add '${first.path ?? '*'}' to the migration's acknowledge list once the loss is intended`;
  throw new EvolveError(
    'UNACKNOWLEDGED_CHANGE',
    `migration ${migration.id} (${options.direction}) would lose data: ${refused.map((s) => s.description).join('; ')}; ${hint}`,
    {
      path: first.path ?? migration.id,
      details: { migration: migration.id, steps: refused.map((s) => s.description) },
    },
  );
}
