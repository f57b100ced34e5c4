import type { SqlStep } from '../steps/sql-step.ts';

/** Steps that change a table's columns: the change log of a column rewritten in place stops before them. */
const CHANGES_COLUMNS = new Set<SqlStep['kind']>(['dropColumn', 'renameColumn', 'alterColumnType']);
/** The steps a model's changes end with (`contractOrder`). */
const CONTRACT = new Set<SqlStep['kind']>([
  'setNotNull',
  'alterColumnType',
  'dropColumn',
  'renameColumn',
  'validateEnumCheck',
]);

/**
 * Moves the contract steps of a table whose backfill rewrites existing columns in place (a removed enum
 * value, a moved JSON key) to the end of the migration, when they drop, rename or retype a column and no
 * later step mentions the table. The old code keeps writing such a column in its old form until the
 * migration is recorded, and only the change log's catch-up transforms those writes; the log has to stop
 * before a step that changes the table's columns, so at the end that step (with the final catch-up) shares
 * the transaction (without transactional DDL: the lock) that records the migration, and no write lands untransformed between
 * them. Where a later step mentions the table (or runs raw SQL) the order is kept.
 *
 * @example
 * // [..., backfill A, drop A.x, add B.y] -> [..., backfill A, add B.y, drop A.x]
 * const steps = deferInPlaceContracts(planSqlSteps(diff(prev, next), { before: prev }));
 */
export function deferInPlaceContracts(steps: readonly SqlStep[]): SqlStep[] {
  const out = [...steps];
  const deferred: SqlStep[] = [];
  for (let i = 0; i < out.length; i++) {
    const step = out[i] as SqlStep;
    // the last of a table's consecutive backfill passes, one of which rewrites in place
    if (step.kind !== 'backfill' || isBackfillOf(out[i + 1], step.table)) continue;
    let first = i;
    while (isBackfillOf(out[first - 1], step.table)) first--;
    if (!out.slice(first, i + 1).some((_, k) => rewritesInPlace(out, first + k))) continue;
    let end = i + 1;
    while (end < out.length && isContractOf(out[end] as SqlStep, step.table)) end++;
    const tail = out.slice(i + 1, end);
    const after = out.slice(end);
    if (!tail.some((s) => CHANGES_COLUMNS.has(s.kind)) || after.length === 0) continue;
    const name = JSON.stringify(step.table);
    if (after.some((s) => s.kind === 'rawSql' || JSON.stringify(s).includes(name))) continue;
    deferred.push(...tail);
    out.splice(i + 1, tail.length);
  }
  return [...out, ...deferred];
}

const isBackfillOf = (step: SqlStep | undefined, table: string) =>
  step?.kind === 'backfill' && step.table === table;

const isContractOf = (step: SqlStep, table: string) =>
  CONTRACT.has(step.kind) && 'table' in step && step.table === table;

/** Whether the backfill at `index` rewrites a column that existed before the migration (not only its NULLs). */
function rewritesInPlace(steps: readonly SqlStep[], index: number): boolean {
  const backfill = steps[index];
  if (backfill?.kind !== 'backfill') return false;
  const earlier = steps.slice(0, index);
  if (earlier.some((s) => s.kind === 'createTable' && s.table === backfill.table)) return false;
  const added = new Set(
    earlier.flatMap((s) => (s.kind === 'addColumn' && s.table === backfill.table ? [s.column] : [])),
  );
  return Object.entries(backfill.set).some(([column, value]) => !value.onlyNull && !added.has(column));
}
