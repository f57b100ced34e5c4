import type { EvolveError, Migration, Snapshot } from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';

export type MigrationDirection = 'up' | 'down';

/** What the runner asks a compiler for: one migration's steps for one dialect and direction. */
export interface CompileContext {
  dialect: SqlDialect;
  direction: MigrationDirection;
  /** The snapshot before the migration (replayed from the history); computed only when asked for. */
  before(): Snapshot;
  /** How long each DDL statement may wait for a lock (`statementLockTimeoutMs`), for compiled timeouts. */
  lockTimeoutMs?: number;
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
  | {
      /**
       * A step or backfill batch waited `statementLockTimeoutMs` for a lock another session holds on
       * `table`, gave up (nothing of it applied) and runs again after `retryInMs`.
       */
      type: 'lock-retry';
      id: string;
      index: number;
      table: string;
      /** The attempt that timed out (1-based), of `attempts` in all. */
      attempt: number;
      attempts: number;
      retryInMs: number;
      /** Who holds locks there, where the engine tells (`pid 4242 (app, idle in transaction for 3 s)`). */
      heldBy: string[];
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
   * How long the migration lock's lease lasts without renewal. The run renews it while it works (between
   * steps and batches, and through the pool during a long statement); a holder that dies stops renewing,
   * and another instance may take the lock once the lease ran out by the database's clock (at once when the
   * dead holder ran on the same machine). Keep it below `lockTimeoutMs`. Default 30 000.
   */
  lockLeaseMs?: number;
  /**
   * How long one DDL statement or backfill batch may wait for a table or row lock that another session
   * holds before it gives up (its transaction rolls back) and is retried: each dialect bounds the wait its
   * own way (`lockTimeoutInTransaction` per transaction, so poolers are fine, or `lockTimeoutForSession`,
   * in whole seconds where the server counts seconds).
   * Keeps a migration from queueing the application's own queries behind it for long. Default 1 000.
   */
  statementLockTimeoutMs?: number;
  /** How many times a step or batch that timed out on a lock is tried again before LOCK_TIMEOUT. Default 5. */
  lockRetries?: number;
  /** The pause before the first retry after a lock timeout; it doubles with each retry (up to 10 s). Default 250. */
  lockRetryDelayMs?: number;
  /**
   * Rows per backfill batch (one short transaction each), fixed. Without it, batches start at 1 000 rows
   * and adapt so that each batch transaction (and the row locks it holds) lasts about `targetBatchMs`.
   */
  batchSize?: number;
  /** The batch duration adaptive batching aims at. Default 40 ms, or the dialect's `targetBatchMs` (one writer: shorter). */
  targetBatchMs?: number;
  /**
   * Pause between backfill batches, to leave room for the application's traffic. Default: as long as the
   * batch before it took (the backfill keeps the database busy about half the time); 0 runs at full speed.
   */
  pauseMs?: number;
  /**
   * How long the catch-up after a backfill may go on while the application keeps its change log full (a
   * full batch of entries every time). After that the run stops with CATCH_UP_BEHIND (the backfill's work
   * is kept; a rerun at a quieter moment resumes), rather than draining forever or holding the final
   * write lock over a backlog. Default 300 000 (5 minutes).
   */
  catchUpTimeoutMs?: number;
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
