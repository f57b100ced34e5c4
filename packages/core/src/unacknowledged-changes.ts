import type { Change } from './change-types.ts';
import { changePath } from './describe-change.ts';
import type { Migration } from './migration-types.ts';
import { reverse } from './reverse.ts';
import type { Snapshot } from './snapshot-types.ts';

/**
 * Whether `path` (`User.email`) is covered by an acknowledgement (`*`, `User`, `User.email`).
 *
 * @example
 * isAcknowledged('User.email', ['User']); // true
 */
export function isAcknowledged(path: string | undefined, acknowledge: readonly string[]): boolean {
  if (acknowledge.includes('*')) return true;
  if (path === undefined) return false;
  return acknowledge.some((a) => path === a || path.startsWith(`${a}.`));
}

/**
 * The one acknowledgement rule, which `evolve check`, `migrate()` and `migrateMongo()` all apply: the changes
 * of `migration` that lose data (risk `destructive` or `lossy`) and are not covered by its `acknowledge`
 * list. Going `down` the reversed changes count (the down of an added field drops it), covered by the same
 * list (a runner's caller may also accept them with `acknowledgeDataLoss`). `target` keeps the changes of SQL or of document models only (the runner of
 * each applies its own), as the schema before and after the migration define them.
 *
 * @example
 * unacknowledgedChanges(migration).map((c) => `${c.kind} ${c.model}`); // [] once every loss is acknowledged
 */
export function unacknowledgedChanges(
  migration: Migration,
  options: {
    direction?: 'up' | 'down';
    /** Keep the changes of SQL or of document models only; `schemas` is read only when a loss is found. */
    target?: { kind: 'sql' | 'document'; schemas: () => { before: Snapshot; after: Snapshot } };
  } = {},
): Change[] {
  const down = options.direction === 'down';
  const changes = down
    ? reverse({ from: migration.from, to: migration.to, changes: [...migration.changes] }).changes
    : [...migration.changes];
  const acknowledge = migration.acknowledge ?? [];
  const losses = changes.filter(
    (change) =>
      (change.risk === 'destructive' || change.risk === 'lossy') &&
      !isAcknowledged(changePath(change), acknowledge),
  );
  const target = options.target;
  if (!target || losses.length === 0) return losses;
  const schemas = target.schemas();
  return losses.filter((change) => targetOf(schemas, change) === target.kind);
}

function targetOf(schemas: { before: Snapshot; after: Snapshot }, change: Change): string | undefined {
  const definition =
    change.kind === 'createModel'
      ? change.definition
      : change.kind === 'dropModel'
        ? change.previous
        : undefined;
  return (definition ?? schemas.after.models[change.model] ?? schemas.before.models[change.model])?.target;
}
