import type { Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import { appliedEarlier } from './applied-earlier.ts';
import { rearmChangeLog, shapeIntact, triggersExist } from './change-log-state.ts';
import { drainChangeLog } from './drain-change-log.ts';
import { jsonText } from './json-param.ts';
import { type Lease, readLockedLease, renewLease } from './lease.ts';
import type { RunContext } from './run-context.ts';
import { runStep } from './run-step.ts';
import { insertStepRow, readStatementUnderWay, type StepKey, updateStepRow } from './step-progress.ts';
import { tableColumns } from './table-columns.ts';

/**
 * Runs one step of a segment that shares one transaction (DDL is transactional): a step that carries a
 * catch-up takes its write lock, drains the change log, drops the triggers and the log when it is the last
 * catch-up of the log, then runs its own statements; the application's writes wait from the last drained
 * entry to the commit.
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
  if ((await triggersExist(trx, plan.backfill)) && (await shapeIntact(trx, plan.backfill))) {
    for (const statement of plan.lock) await trx.executeQuery(statement);
    await drainChangeLog(ctx, migration, plan.backfill, { executor: trx, index });
  }
  if (plan.final) for (const statement of [...plan.disarm, ...plan.drop]) await trx.executeQuery(statement);
  await runStep(trx, step, ctx.caps);
}

/**
 * Runs a catch-up step where DDL commits on its own (no transactional DDL): LOCK TABLES on the table, the log and evolve's
 * own tables; drop the triggers (so that the drain's writes fire none); drain; the step's DDL (the contract
 * statements folded into it), each recorded in the progress row before it runs; create the triggers again
 * unless this is the log's last catch-up; UNLOCK TABLES; drop the log after the last one.
 * A rerun after a crash: with no log left, everything but the progress record had been done. With the
 * triggers gone but the columns as they were, writes since the crash may be unlogged: the triggers are
 * created again and the log's columns computed for every row first, and the catch-up runs from the start
 * (the statements that may have run keep every column, and run again alike). With the columns changed, a
 * drop or rename had run: nothing can be drained, the DDL resumes at the statement recorded as under way,
 * which may find itself already applied (as the dialect confirms).
 * `finish` (the migration's last step, the log's last catch-up): the journal is written under the lock too,
 * so that no write of the old code lands between the last drain and the migration being recorded.
 * Resolves true when it ran `finish`.
 */
export async function runLockedCatchUp(
  ctx: RunContext,
  migration: Migration,
  step: CompiledStep,
  key: StepKey,
  finish?: (executor: Kysely<any>, lease: Lease) => Promise<void>,
): Promise<boolean> {
  const plan = step.catchUp;
  const log = plan?.backfill.changeLog;
  if (!plan || !log) throw new Error('runLockedCatchUp needs a step with a catch-up of a change log');
  const progress = await readStatementUnderWay(ctx.conn, key);
  // Under the lock the lease is read, not renewed (the lock table is locked for reading): renewed just before.
  let fence = key;
  const record = (statement: number | null, status: 'running' | 'done' = 'running') => {
    const state = { status, checkpoint: statement === null ? null : jsonText({ statement }), rowsDone: 0 };
    return progress.exists ? updateStepRow(ctx.conn, fence, state) : insertStepRow(ctx.conn, fence, state);
  };
  if (!(await tableColumns(ctx.conn, log.table))) {
    await record(null, 'done');
    return false;
  }
  const intact = await shapeIntact(ctx.conn, plan.backfill);
  if (intact && !(await triggersExist(ctx.conn, plan.backfill))) {
    await rearmChangeLog(ctx, migration, plan.backfill, key.index);
  }
  if (!progress.exists) {
    await record(null);
    progress.exists = true;
  }
  const inFlight = intact ? undefined : progress.statement;
  await renewLease(ctx.conn, key.lease);
  for (const statement of plan.lock) await ctx.conn.executeQuery(statement);
  fence = { ...key, lease: readLockedLease(key.lease) };
  try {
    for (const statement of plan.disarm) await ctx.conn.executeQuery(statement);
    if (intact) await drainChangeLog(ctx, migration, plan.backfill, { executor: ctx.conn, index: key.index });
    await runStep(ctx.conn, step, ctx.caps, {
      resumeAt: inFlight ?? 0,
      before: (i) => record(i),
      applied: async (error, statement, i) =>
        i === inFlight && (await appliedEarlier(ctx.caps, ctx.conn, error, statement.sql)),
    });
    if (!plan.final) for (const statement of log.rearm) await ctx.conn.executeQuery(statement);
    else if (finish) {
      for (const statement of plan.drop) await ctx.conn.executeQuery(statement);
      await finish(ctx.conn, fence.lease);
    }
    for (const statement of plan.commit) await ctx.conn.executeQuery(statement);
  } finally {
    // A broken connection must not hide the error that stopped the work.
    for (const statement of plan.unlock) await ctx.conn.executeQuery(statement).catch(() => {});
    fence = key;
  }
  if (plan.final && finish) return true;
  if (plan.final) for (const statement of plan.drop) await ctx.conn.executeQuery(statement);
  await record(null, 'done');
  return false;
}
