import { EvolveError, isEvolveError, type Migration } from '@evolve/core';
import type { CompiledStep } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import { dryRunTransforms } from './dry-run-transforms.ts';
import { groupSteps } from './group-steps.ts';
import type { StepRow } from './journal.ts';
import { segmentLockTarget, underLockTimeout } from './lock-retry.ts';
import type { MigrationDirection } from './migrate-options.ts';
import { finishRun, type MigrationRun } from './migration-run.ts';
import { recheckBackfill } from './recheck-backfill.ts';
import type { RunContext } from './run-context.ts';
import { runSegment } from './run-segment.ts';

/**
 * Runs one migration's steps in one direction and records it in the journal. Segments already recorded
 * as done (by an earlier, interrupted run) are skipped; a backfill resumes from its checkpoint. Where DDL
 * is transactional the transactional steps share one transaction, which also holds the journal write
 * when they come last.
 */
export async function runMigration(
  ctx: RunContext,
  migration: Migration,
  options: {
    direction: MigrationDirection;
    steps: readonly CompiledStep[];
    checksum: string;
    /** Progress rows left by an earlier run of this migration in this direction. */
    progress: readonly StepRow[];
  },
): Promise<number> {
  const { direction, steps, progress } = options;
  const recorded = new Map(progress.map((row) => [row.step_index, row]));
  const run: MigrationRun = {
    migration,
    direction,
    checksum: options.checksum,
    started: performance.now(),
    recorded,
    clearProgress: recorded.size > 0,
  };
  const segments = groupSteps(steps, { transactionalDdl: ctx.caps.supportsTransactionalDdl });
  ctx.progress({ type: 'migration-start', id: migration.id, direction, steps: steps.length });
  if (progress.length === 0) {
    for (const step of steps) {
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
      finished = await underLockTimeout(ctx, retry, () => runSegment(ctx, run, segment, last));
    } catch (error) {
      if (isEvolveError(error)) throw error;
      const step = segment.steps[0]!;
      throw new EvolveError(
        'MIGRATION_FAILED',
        `migration ${migration.id} (${direction}) failed at step ${segment.first + 1} "${step.description}": ${(error as Error)?.message ?? String(error)}`,
        { path: step.path ?? migration.id, cause: error },
      );
    }
  }
  if (!finished) await ctx.conn.transaction().execute((trx) => finishRun(ctx, run, trx));
  const durationMs = performance.now() - run.started;
  ctx.progress({ type: 'migration-done', id: migration.id, direction, durationMs });
  return durationMs;
}
