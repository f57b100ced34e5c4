import type { JsonValue } from '@evolve/core';
import type { CompiledQuery } from 'kysely';

// The contract between the planner/compiler (plan/, dialects/) and the runner (runtime/).
// The planner turns a migration's high-level steps into CompiledSteps for one dialect; the runner executes
// them in order, grouping consecutive transactional steps into one transaction where DDL is transactional.

export type { SqlDialect } from './dialects/sql-dialect.ts';

/** Where a backfilled column's value comes from. */
export type BackfillSource =
  /** A TS transform: `migration.transforms[model][field]`, called with the old row (field names, old version). */
  | {
      transform: {
        model: string;
        field: string;
        /**
         * (planner addition, optional) Where inside the target column's JSON value the result goes, for a
         * nested field of a JSON column (`field` 'address.city' -> column `address`, path ['city']).
         * Absent: the result is the whole column value. Runner: read the column, set the path, write back.
         */
        path?: string[];
      };
    }
  /** A constant. */
  | { value: JsonValue }
  /** A SQL expression (trusted code from the migration file) evaluated set-based per batch. */
  | { expression: string };

/** A batched, keyset-paginated backfill of one table. */
export interface BackfillPlan {
  /** Model name (for transforms and progress). */
  model: string;
  table: string;
  /** Primary-key columns, in keyset order. */
  key: string[];
  /** For TS transforms: old field name -> column to read it from (as the table is when the backfill runs). */
  read: Record<string, string>;
  /** Target column -> source. */
  set: Record<string, BackfillSource>;
  /**
   * (planner addition, optional) Target columns filled only where they are still NULL (a column about to
   * become NOT NULL): the runner writes `coalesce(column, new value)` (or skips rows whose column is set).
   */
  onlyNull?: string[];
  /**
   * (planner addition, optional) Target columns that a later step of the migration makes NOT NULL. A rerun
   * that finds this backfill done checks them again and fills the NULLs left behind (rows written while an
   * earlier attempt failed), so that a failed NOT NULL validation is recoverable by rerunning.
   */
  required?: string[];
  /**
   * (planner addition, optional) The change log that carries the application's writes made while this
   * backfill runs (the old code still writing the table) into its columns; see `ChangeLogPlan`.
   */
  changeLog?: ChangeLogPlan;
}

/**
 * A trigger-maintained change log (DESIGN.md, "SQL apply"): from before a backfill's first batch until the
 * migration's contract step, triggers on the table record the primary key of every row the application
 * inserts, or updates in a way that makes `columns` stale (a source column of a new column changed, or a
 * column filled where NULL set back to NULL). After the batches a catch-up loop recomputes the logged rows
 * with the backfill's own sources and deletes their entries; the contract step drains the rest under a
 * short write lock (`CatchUpPlan`) before its DDL.
 */
export interface ChangeLogPlan {
  /** The log table: `evolve_seq` (ascending, the primary key) and the table's key columns. */
  table: string;
  /** The backfill's target columns the catch-up recomputes (new columns, and columns filled where NULL). */
  columns: string[];
  /**
   * Of `columns`, the existing columns rewritten in place (the old code writes them too). Their triggers
   * log the backfill's own writes as well: each batch deletes the entries of its key range, and the drain
   * deletes every entry of the keys it recomputed; a rearm never recomputes them for every row (an
   * in-place transform need not be idempotent).
   */
  inPlace?: string[];
  /** Returns a row while the log's triggers exist. */
  probe: CompiledQuery;
  /** Creates the triggers again (idempotent), the log table being there. */
  rearm: CompiledQuery[];
}

/** A catch-up of a change log under a write lock, run by the step that carries it before that step's DDL. */
export interface CatchUpPlan {
  /** The backfill whose log is drained (its `changeLog` is set). */
  backfill: BackfillPlan;
  /** The last catch-up of the log: it stops logging (drops the triggers, then the log table). */
  final: boolean;
  /** Blocks the application's writes to the table (and the log) until the step's DDL is done. */
  lock: CompiledQuery[];
  /** Commits the work under `lock` where it is not a transaction's (`COMMIT`); else empty. */
  commit: CompiledQuery[];
  /**
   * Releases `lock` where it outlives statements and transactions (`ROLLBACK` of anything not
   * committed, autocommit back on, `UNLOCK TABLES`); else empty.
   */
  unlock: CompiledQuery[];
  /** Drops the triggers (idempotent); `backfill.changeLog.rearm` creates them again. */
  disarm: CompiledQuery[];
  /** Drops the log table (idempotent). */
  drop: CompiledQuery[];
}

export interface CompiledStep {
  /** One line a reviewer understands: "add column users.email (nullable)". */
  description: string;
  /** false: must run outside any transaction (CREATE INDEX CONCURRENTLY, PRAGMA foreign_keys). */
  transactional: boolean;
  statements: CompiledQuery[];
  /** Present for backfill steps; `statements` is then empty and the runner batches the work. */
  backfill?: BackfillPlan;
  /** Drops or narrows data: refused by `up`/`down` unless the migration acknowledges it. */
  destructive?: boolean;
  /** The model/field path the step touches, for acknowledgements and messages (`User.email`). */
  path?: string;
  /**
   * (planner addition, optional) Queries run after `statements`, inside the same transaction; any returned
   * row fails the step with VALIDATION_FAILED (`PRAGMA foreign_key_check(table)` after a table rebuild).
   */
  verify?: CompiledQuery[];
  /**
   * (planner addition, optional) Table rebuild of this table: before `statements`, read its triggers
   * (the dialect's `triggersOf`) and run each `sql` again
   * after the statements (dropping the old table drops its triggers).
   */
  recreateTriggersOf?: string;
  /** (planner addition, optional) The step rewrites the whole table (type change, table rebuild). */
  rewritesTable?: boolean;
  /**
   * (planner addition, optional) Before `statements` (after them where DDL is not transactional), the
   * runner takes `lock`, drains the change log, drops it and its triggers, and releases the lock afterwards.
   */
  catchUp?: CatchUpPlan;
}
