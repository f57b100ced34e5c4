import type { JsonValue } from '@evolve/core';
import type { CompiledQuery } from 'kysely';

/**
 * The contract between the planner/compiler (plan/, dialects/) and the runner (runtime/).
 * The planner turns a migration's high-level steps into CompiledSteps for one dialect; the runner executes
 * them in order, grouping consecutive transactional steps into one transaction where DDL is transactional.
 */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

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
}

export interface CompiledStep {
  /** One line a reviewer understands: "add column users.email (nullable)". */
  description: string;
  /** false: must run outside any transaction (CREATE INDEX CONCURRENTLY, SQLite PRAGMA foreign_keys). */
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
   * row fails the step with VALIDATION_FAILED (SQLite `PRAGMA foreign_key_check(table)` after a rebuild).
   */
  verify?: CompiledQuery[];
  /**
   * (planner addition, optional) SQLite table rebuild of this table: before `statements`, read its triggers
   * (`select sql from sqlite_master where type = 'trigger' and tbl_name = ?`) and run each `sql` again
   * after the statements (dropping the old table drops its triggers).
   */
  recreateTriggersOf?: string;
  /** (planner addition, optional) The step rewrites the whole table (type change, SQLite rebuild). */
  rewritesTable?: boolean;
}
