import type { Migration } from '@evolve/core';
import { sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { rearmChangeLog, triggersExist } from './change-log-state.ts';
import { drainChangeLog } from './drain-change-log.ts';
import { underLockTimeout } from './lock-retry.ts';
import { recomputeTable } from './recompute-table.ts';
import type { RunContext } from './run-context.ts';
import { tableColumns } from './table-columns.ts';

/**
 * A rerun that finds a backfill recorded done checks it again, unless the migration's contract has since
 * replaced its columns: it drains the change log (writes made since an earlier attempt stopped; with the
 * triggers gone, as a crash inside a catch-up without transactional DDL leaves them, it creates them again and computes the
 * log's columns for every row first), and fills the NULLs left in the columns a later step makes NOT NULL
 * (rows inserted while the old code kept writing, or while a failed validation waited for a rerun), so
 * that rerunning always recovers.
 */
export async function recheckBackfill(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  index: number,
): Promise<void> {
  const required = plan.required ?? [];
  if (!plan.changeLog && required.length === 0) return;
  await underLockTimeout(ctx, undefined, async () => {
    const columns = await tableColumns(ctx.conn, plan.table);
    const needed = [...plan.key, ...Object.values(plan.read), ...Object.keys(plan.set)];
    if (!columns || !needed.every((c) => columns.has(c))) return;
    if (plan.changeLog && (await tableColumns(ctx.conn, plan.changeLog.table))) {
      if (!(await triggersExist(ctx.conn, plan))) await rearmChangeLog(ctx, migration, plan, index);
      await drainChangeLog(ctx, migration, plan, { index });
    }
    if (required.length > 0) await fillNulls(ctx, migration, plan, required, index);
  });
}

/** Computes `columns` again for every row where one of them is NULL, in keyset batches. */
function fillNulls(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  columns: readonly string[],
  index: number,
): Promise<void> {
  const missing = sql<boolean>`(${sql.join(
    columns.map((c) => sql`${sql.ref(c)} is null`),
    sql` or `,
  )})`;
  return recomputeTable(ctx, migration, plan, { columns, index, where: missing, onlyNull: true });
}
