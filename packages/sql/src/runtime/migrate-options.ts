import type { EvolveError, Migration, Snapshot } from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';

export type MigrationDirection = 'up' | 'down';

/** What the runner asks a compiler for: one migration's steps for one dialect and direction. */
export interface CompileContext {
  dialect: SqlDialect;
  direction: MigrationDirection;
  /** The snapshot before the migration (replayed from the history); computed only when asked for. */
  before(): Snapshot;
}

/** Turns a migration into executable steps. The default is the planner's `compileMigration`. */
export type CompileMigration = (migration: Migration, context: CompileContext) => readonly CompiledStep[];

/** Progress reported while `migrate` runs. */
export type MigrateProgressEvent =
  | { type: 'lock-wait'; waitedMs: number }
  | { type: 'migration-start'; id: string; direction: MigrationDirection; steps: number }
  | { type: 'step'; id: string; index: number; description: string }
  | {
      type: 'backfill';
      id: string;
      index: number;
      table: string;
      rowsDone: number;
      totalEstimate: number;
      done: boolean;
      /** How long this batch's transaction lasted (its locks were held that long). */
      batchMs: number;
    }
  | { type: 'migration-done'; id: string; direction: MigrationDirection; durationMs: number };

export interface MigrateOptions {
  /** The ordered migration list (the migrations folder's `index.ts` default export). */
  migrations?: readonly Migration[];
  /** Or the migrations folder, whose `index` module default-exports the list. */
  folder?: string;
  /** Target id: newer than the journal applies up to it, older reverts down to it (it stays applied). */
  to?: string;
  /** How long to wait for another instance's lock before LOCK_TIMEOUT. Default 60 000. */
  lockTimeoutMs?: number;
  /**
   * Rows per backfill batch (one short transaction each), fixed. Without it, batches start at 1 000 rows
   * and adapt so that each batch transaction (and the row locks it holds) lasts about `targetBatchMs`.
   */
  batchSize?: number;
  /** The batch duration adaptive batching aims at. Default 40 ms. */
  targetBatchMs?: number;
  /** Pause between backfill batches, to leave room for the application's traffic. Default 0. */
  pauseMs?: number;
  /** Apply migrations merged late (id older than the newest applied) instead of refusing them. */
  allowOutOfOrder?: boolean;
  /** Accept down steps that lose data without each migration acknowledging them. */
  acknowledgeDataLoss?: boolean;
  /**
   * Before a migration changes anything, run its TS transforms over every existing row without writing
   * (when its table is there already), so a transform that throws or returns a value that does not fit
   * stops the run with the database unchanged. Costs one extra read of the table. Default true.
   */
  validateTransforms?: boolean;
  onProgress?: (event: MigrateProgressEvent) => void;
  /** Stops between steps and batches; what finished stays recorded, so a rerun resumes. */
  signal?: AbortSignal;
  /** Replaces the planner (tests, custom planners). */
  compile?: CompileMigration;
}

/** One migration's outcome, as Kysely's Migrator reports it. */
export interface MigrationResult {
  id: string;
  direction: MigrationDirection;
  status: 'Success' | 'Error' | 'NotExecuted';
  durationMs?: number;
  /** Applied although older than the newest applied migration (`allowOutOfOrder`). */
  outOfOrder?: boolean;
}

export interface MigrateResult {
  /** Every migration this call ran or meant to run, in order. */
  applied: MigrationResult[];
  /** Pending migrations left alone because they lie beyond `to`. */
  skipped?: string[];
  error?: EvolveError;
}
