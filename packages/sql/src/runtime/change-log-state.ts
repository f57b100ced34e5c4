import type { Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { recomputeTable } from './recompute-table.ts';
import type { RunContext } from './run-context.ts';
import { tableColumns } from './table-columns.ts';

/** Whether a backfill's change log has its triggers. */
export async function triggersExist(executor: Kysely<any>, plan: BackfillPlan): Promise<boolean> {
  if (!plan.changeLog) return false;
  const { rows } = await executor.executeQuery(plan.changeLog.probe);
  return rows.length > 0;
}

/** Whether the columns a backfill's change log is drained from and into are all still there. */
export async function shapeIntact(executor: Kysely<any>, plan: BackfillPlan): Promise<boolean> {
  if (!plan.changeLog) return false;
  const columns = await tableColumns(executor, plan.table);
  const needed = [...plan.key, ...Object.values(plan.read), ...plan.changeLog.columns];
  return columns !== undefined && needed.every((c) => columns.has(c));
}

/**
 * Creates a change log's triggers again and computes its columns for every row (the triggers logging
 * meanwhile): writes made while the triggers were gone were not logged.
 */
export async function rearmChangeLog(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  index: number,
): Promise<void> {
  const log = plan.changeLog;
  if (!log) return;
  for (const statement of log.rearm) await ctx.conn.executeQuery(statement);
  // an in-place column cannot be computed again from itself (its transform need not be idempotent)
  const columns = log.columns.filter((c) => !log.inPlace?.includes(c));
  if (columns.length > 0) await recomputeTable(ctx, migration, plan, { columns, index });
}
