import { drainChangeLog } from './drain-change-log.ts';
import type { Segment } from './group-steps.ts';
import { finishRun, type MigrationRun, stepKey } from './migration-run.ts';
import { runBackfill } from './run-backfill.ts';
import { runLockedCatchUp, runSegmentStep } from './run-catch-up.ts';
import type { RunContext } from './run-context.ts';
import { runRecordedSegment } from './run-recorded-segment.ts';
import { insertStepRow } from './step-progress.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Runs one segment of a migration: a backfill (resumed from its checkpoint, then the change log drained), a
 * transaction of steps (holding the journal write when it is the `last` segment), or steps that each take
 * effect on their own. Returns true when it also wrote the journal; sets `run.clearProgress` when it leaves
 * progress rows behind.
 */
export async function runSegment(
  ctx: RunContext,
  run: MigrationRun,
  segment: Segment,
  last: boolean,
): Promise<boolean> {
  const { migration } = run;
  const key = stepKey(ctx, run, segment.first);
  if (segment.kind === 'backfill') {
    const plan = segment.steps[0]?.backfill;
    const resume = run.recorded.get(segment.first);
    if (plan) {
      await runBackfill(
        ctx,
        migration,
        plan,
        key,
        resume && { checkpoint: resume.checkpoint, rowsDone: resume.rows_done },
      );
      // the catch-up loop: what the application wrote during the batches (DESIGN.md, SQL apply)
      await drainChangeLog(ctx, migration, plan, { index: segment.first });
    }
    run.clearProgress = true;
    return false;
  }
  if (segment.kind === 'transaction' && ctx.caps.supportsTransactionalDdl) {
    await writeTransaction(ctx, async (trx) => {
      for (const [offset, step] of segment.steps.entries()) {
        await runSegmentStep(ctx, migration, trx, step, segment.first + offset);
      }
      if (last) await finishRun(ctx, run, trx);
      else await insertStepRow(trx, key, { status: 'done', checkpoint: null, rowsDone: 0 });
    });
    run.clearProgress ||= !last;
    return last;
  }
  // Where DDL commits implicitly (or a step must run outside a transaction) each statement takes effect
  // on its own: it is recorded as under way before it runs, and the journal write gets a transaction of
  // its own, so that it and the progress cleanup stay atomic.
  // (the catch-up records its progress: the journal write under its lock, when last, clears it)
  run.clearProgress = true;
  const catchUp = segment.steps[0];
  if (catchUp?.catchUp) {
    const finish = last
      ? (executor: RunContext['conn'], lease = ctx.lease) => finishRun(ctx, run, executor, lease)
      : undefined;
    return runLockedCatchUp(ctx, migration, catchUp, key, finish);
  }
  await runRecordedSegment(ctx, segment, key, { transaction: segment.kind === 'transaction' });
  return false;
}
