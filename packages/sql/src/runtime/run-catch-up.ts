import type { Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CatchUpPlan, CompiledStep } from '../compiled-step.ts';
import { drainChangeLog } from './drain-change-log.ts';
import type { RunContext } from './run-context.ts';
import { runStep } from './run-step.ts';
import { insertStepRow, type StepKey } from './step-progress.ts';
import { tableColumns } from './table-columns.ts';

/**
 * Runs one step of a segment that shares one transaction (DDL is transactional): a step that carries a
 * catch-up takes its write lock, drains the change log, drops the triggers and the log (the last catch-up
 * of the log), then runs its own statements, so the application's writes wait from the last drained entry
 * to the commit.
 */
export async function runSegmentStep(
  ctx: RunContext,
  migration: Migration,
  trx: Kysely<any>,
  step: CompiledStep,
  index: number,
): Promise<void> {
  const plan = step.catchUp;
  if (!plan) return runStep(trx, step, ctx.caps);
  if (await armed(trx, plan)) {
    for (const statement of plan.lock) await trx.executeQuery(statement);
    await drainChangeLog(ctx, migration, plan.backfill, { executor: trx, index });
  }
  for (const statement of [...plan.stop, ...plan.drop]) await trx.executeQuery(statement);
  await runStep(trx, step, ctx.caps);
}

/**
 * Runs a catch-up step where DDL commits on its own (MySQL): LOCK TABLES, drain, the step's DDL (the
 * contract statements folded into it), drop the triggers, UNLOCK TABLES, drop the log, then the progress
 * row (under LOCK TABLES other tables are out of reach). A rerun after a crash drains only while the
 * triggers and the columns are as they were; once the DDL began, the lock had kept the application out
 * since the last drain, and a statement that already took effect (as the dialect confirms) is passed over.
 */
export async function runLockedCatchUp(
  ctx: RunContext,
  migration: Migration,
  step: CompiledStep,
  key: StepKey,
): Promise<void> {
  const plan = step.catchUp;
  if (!plan) throw new Error('runLockedCatchUp needs a step with a catch-up');
  const intact = await armed(ctx.conn, plan);
  for (const statement of plan.lock) await ctx.conn.executeQuery(statement);
  try {
    if (intact) await drainChangeLog(ctx, migration, plan.backfill, { executor: ctx.conn, index: key.index });
    await runStep(ctx.conn, step, ctx.caps, {
      resumeAt: 0,
      before: async () => {},
      applied: async (error, statement) => {
        if (intact || !ctx.caps.isAlreadyApplied?.(error, statement.sql)) return false;
        if (!ctx.caps.confirmApplied) return true;
        return ctx.caps.confirmApplied(ctx.conn, statement.sql, error).catch(() => false);
      },
    });
    for (const statement of plan.stop) await ctx.conn.executeQuery(statement);
  } finally {
    // A broken connection must not hide the error that stopped the work.
    for (const statement of plan.unlock) await ctx.conn.executeQuery(statement).catch(() => {});
  }
  for (const statement of plan.drop) await ctx.conn.executeQuery(statement);
  await insertStepRow(ctx.conn, key, { status: 'done', checkpoint: null, rowsDone: 0 });
}

/**
 * Whether the change log is still live: its triggers exist and the columns its drain reads and writes are
 * all there (the DDL after the last drain has not begun).
 */
async function armed(executor: Kysely<any>, plan: CatchUpPlan): Promise<boolean> {
  const { backfill } = plan;
  if (!backfill.changeLog) return false;
  const { rows } = await executor.executeQuery(plan.probe);
  if (rows.length === 0) return false;
  const columns = await tableColumns(executor, backfill.table);
  const needed = [...backfill.key, ...Object.values(backfill.read), ...backfill.changeLog.columns];
  return columns !== undefined && needed.every((c) => columns.has(c));
}
