import { assertChangeSet, assertSnapshot, type ChangeSet, emptySnapshot, type Snapshot } from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';
import { compileSqlSteps } from '../dialects/compile-sql-steps.ts';
import { planSqlSteps } from './plan-sql-steps.ts';

/**
 * The steps of a change set for one dialect, each with its exact SQL (`statements[i].sql`), for previews.
 * `before` is the schema the change set starts from (default: empty, enough for new models only).
 *
 * @example
 * for (const step of planSqlMigration(diff(prev, next), { dialect: dialectOf(db), before: prev })) {
 *   console.log(step.description, step.statements.map((s) => s.sql));
 * }
 */
export function planSqlMigration(
  changeSet: ChangeSet,
  options: {
    dialect: SqlDialect;
    before?: Snapshot;
    transforms?: Record<string, Record<string, unknown>>;
    lockTimeoutMs?: number;
  },
): CompiledStep[] {
  assertChangeSet(changeSet, 'changeSet');
  if (options.before !== undefined) assertSnapshot(options.before, 'options.before');
  const before = options.before ?? emptySnapshot();
  const steps = planSqlSteps(changeSet, {
    before,
    ...(options.transforms ? { transforms: options.transforms } : {}),
  });
  return compileSqlSteps(steps, {
    dialect: options.dialect,
    before,
    ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
  });
}
