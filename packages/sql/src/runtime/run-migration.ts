import { EvolveError, isEvolveError, type Migration } from '@evolve/core';
import type { CompiledStep } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import { drainChangeLog } from './drain-change-log.ts';
import { dryRunTransforms } from './dry-run-transforms.ts';
import { groupSteps, type Segment } from './group-steps.ts';
import type { StepRow } from './journal.ts';
import { segmentLockTarget, underLockTimeout } from './lock-retry.ts';
import type { MigrationDirection } from './migrate-options.ts';
import { recheckBackfill } from './recheck-backfill.ts';
import { runBackfill } from './run-backfill.ts';
import { runLockedCatchUp, runSegmentStep } from './run-catch-up.ts';
import type { RunContext } from './run-context.ts';
import { runRecordedSegment } from './run-recorded-segment.ts';
import { finishMigration, insertStepRow, type StepKey } from './step-progress.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Runs one migration's steps in one direction and records it in the journal. Segments already recorded
 * as done (by an earlier, interrupted run) are skipped; a backfill resumes from its checkpoint. Where DDL
 * is transactional the transactional steps share one transaction, which also holds the journal write
 * when they come last.
 */
export async function runMigration(
  ctx: RunContext,
  migration: Migration,
  run: {
    direction: MigrationDirection;
    steps: readonly CompiledStep[];
    checksum: string;
    /** Progress rows left by an earlier run of this migration in this direction. */
    progress: readonly StepRow[];
  },
): Promise<number> {
  const started = performance.now();
  const segments = groupSteps(run.steps, { transactionalDdl: ctx.caps.supportsTransactionalDdl });
  const recorded = new Map(run.progress.map((row) => [row.step_index, row]));
  let clearProgress = recorded.size > 0;
  const keyOf = (index: number): StepKey => ({
    migrationId: migration.id,
    direction: run.direction,
    index,
    checksum: run.checksum,
    lease: ctx.lease,
  });
  const finish = (executor: RunContext['conn'], lease = ctx.lease) =>
    finishMigration(
      executor,
      {
        id: migration.id,
        checksum: run.checksum,
        direction: run.direction,
        durationMs: performance.now() - started,
        lease,
      },
      { clearProgress },
    );
  ctx.progress({
    type: 'migration-start',
    id: migration.id,
    direction: run.direction,
    steps: run.steps.length,
  });
  if (run.progress.length === 0) {
    for (const step of run.steps) {
      if (step.backfill && ctx.readableBefore(migration.id, step.backfill)) {
        await dryRunTransforms(ctx, migration, step.backfill);
      }
    }
  }
  let finished = false;
  for (const [position, segment] of segments.entries()) {
    const previous = recorded.get(segment.first);
    if (previous?.status === 'done') {
      // A finished backfill is checked again: writes logged since, NULLs a failed validation left behind.
      const plan = segment.steps[0]?.backfill;
      if (segment.kind === 'backfill' && plan) await recheckBackfill(ctx, migration, plan, segment.first);
      continue;
    }
    if (ctx.signal?.aborted) throw aborted(migration.id);
    await ctx.keepAlive();
    const last = position === segments.length - 1;
    for (const [offset, step] of segment.steps.entries()) {
      ctx.progress({
        type: 'step',
        id: migration.id,
        index: segment.first + offset,
        description: step.description,
      });
    }
    try {
      // DDL is retried whole on a lock timeout; a backfill retries batch by batch.
      const retry = segment.kind === 'backfill' ? undefined : segmentLockTarget(migration.id, segment);
      finished = await underLockTimeout(ctx, retry, () => runSegment(segment, last));
    } catch (error) {
      if (isEvolveError(error)) throw error;
      const step = segment.steps[0]!;
      throw new EvolveError(
        'MIGRATION_FAILED',
        `migration ${migration.id} (${run.direction}) failed at step ${segment.first + 1} "${step.description}": ${(error as Error)?.message ?? String(error)}`,
        { path: step.path ?? migration.id, cause: error },
      );
    }
  }
  if (!finished) await ctx.conn.transaction().execute((trx) => finish(trx));
  const durationMs = performance.now() - started;
  ctx.progress({ type: 'migration-done', id: migration.id, direction: run.direction, durationMs });
  return durationMs;

  /** Runs one segment; true when it also wrote the journal. */
  async function runSegment(segment: Segment, last: boolean): Promise<boolean> {
    if (segment.kind === 'backfill') {
      const plan = segment.steps[0]?.backfill;
      const resume = recorded.get(segment.first);
      if (plan) {
        await runBackfill(
          ctx,
          migration,
          plan,
          keyOf(segment.first),
          resume && { checkpoint: resume.checkpoint, rowsDone: resume.rows_done },
        );
        // the catch-up loop: what the application wrote during the batches (DESIGN.md, SQL apply)
        await drainChangeLog(ctx, migration, plan, { index: segment.first });
      }
      clearProgress = true;
      return false;
    }
    if (segment.kind === 'transaction' && ctx.caps.supportsTransactionalDdl) {
      await writeTransaction(ctx, async (trx) => {
        for (const [offset, step] of segment.steps.entries()) {
          await runSegmentStep(ctx, migration, trx, step, segment.first + offset);
        }
        if (last) await finish(trx);
        else {
          await insertStepRow(trx, keyOf(segment.first), { status: 'done', checkpoint: null, rowsDone: 0 });
        }
      });
      clearProgress ||= !last;
      return last;
    }
    // Where DDL commits implicitly (or a step must run outside a transaction) each statement takes effect
    // on its own: it is recorded as under way before it runs, and the journal write gets a transaction of
    // its own, so that it and the progress cleanup stay atomic.
    // (the catch-up records its progress: the journal write under its lock, when last, clears it)
    clearProgress = true;
    const catchUp = segment.steps[0];
    if (catchUp?.catchUp) {
      return runLockedCatchUp(ctx, migration, catchUp, keyOf(segment.first), last ? finish : undefined);
    }
    await runRecordedSegment(ctx, segment, keyOf(segment.first), {
      transaction: segment.kind === 'transaction',
    });
    return false;
  }
}
