import type { Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { StepRow } from './journal.ts';
import type { Lease } from './lease.ts';
import type { MigrationDirection } from './migrate-options.ts';
import type { RunContext } from './run-context.ts';
import { finishMigration, type StepKey } from './step-progress.ts';

/** One migration being run in one direction: what its segments share. */
export interface MigrationRun {
  readonly migration: Migration;
  readonly direction: MigrationDirection;
  readonly checksum: string;
  /** `performance.now()` when the run began (the journal records the duration). */
  readonly started: number;
  /** Progress rows left by an earlier run of this migration in this direction, by step index. */
  readonly recorded: ReadonlyMap<number, StepRow>;
  /** Whether progress rows exist (an earlier run's or this run's) that the journal write must delete. */
  clearProgress: boolean;
}

/** The progress-row key of the segment that starts at step `index`. */
export function stepKey(ctx: RunContext, run: MigrationRun, index: number): StepKey {
  return {
    migrationId: run.migration.id,
    direction: run.direction,
    index,
    checksum: run.checksum,
    lease: ctx.lease,
  };
}

/** Writes the journal (and deletes the progress rows when there are any) through `executor`. */
export function finishRun(
  ctx: RunContext,
  run: MigrationRun,
  executor: Kysely<any>,
  lease: Lease = ctx.lease,
): Promise<void> {
  return finishMigration(
    executor,
    {
      id: run.migration.id,
      checksum: run.checksum,
      direction: run.direction,
      durationMs: performance.now() - run.started,
      lease,
    },
    { clearProgress: run.clearProgress },
  );
}
