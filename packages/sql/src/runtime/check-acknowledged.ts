import {
  changePath,
  describeChange,
  EvolveError,
  isAcknowledged,
  type Migration,
  type Snapshot,
  unacknowledgedChanges,
} from '@evolve/core';
import type { CompiledStep } from '../compiled-step.ts';
import type { MigrationDirection } from './migrate-options.ts';

/**
 * Refuses a migration that would lose data without acknowledgement: core's one rule
 * (`unacknowledgedChanges`, which `evolve check` applies too) over its SQL models' changes, and any compiled
 * step flagged destructive (a raw SQL step marked so) that the list does not cover. Going down, the same list
 * covers the loss, or the caller accepts it with `acknowledgeDataLoss`. Throws UNACKNOWLEDGED_CHANGE naming
 * the first one. Pure.
 *
 * @example
 * checkAcknowledged(migration, [], { direction: 'up', schemas: () => ({ before: prev, after: next }) });
 */
export function checkAcknowledged(
  migration: Migration,
  steps: readonly CompiledStep[],
  options: {
    direction: MigrationDirection;
    acknowledgeDataLoss?: boolean | undefined;
    /** The schema before and after the migration (which models are SQL models), read only on a loss. */
    schemas: () => { before: Snapshot; after: Snapshot };
  },
): void {
  const down = options.direction === 'down';
  if (down && options.acknowledgeDataLoss) return;
  const acknowledge = migration.acknowledge ?? [];
  const changes = unacknowledgedChanges(migration, {
    direction: options.direction,
    target: { kind: 'sql', schemas: options.schemas },
  });
  // a change names the loss; the compiled step at its path, when there is one, says what it does to rows
  const destructive = steps.filter((s) => s.destructive);
  const refused = [
    ...changes.map((c) => {
      const path = changePath(c);
      const step = destructive.find((s) => s.path === path);
      return { path, description: step?.description ?? `${describeChange(c)} (${c.risk})` };
    }),
    ...destructive.filter(
      (s) => !isAcknowledged(s.path, acknowledge) && !changes.some((c) => s.path === changePath(c)),
    ),
  ];
  const first = refused[0];
  if (!first) return;
  const hint = down
    ? `pass acknowledgeDataLoss: true to revert it anyway, or add '${first.path ?? '*'}' to the migration's acknowledge list`
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
