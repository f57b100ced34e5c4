import type { CompiledQuery } from 'kysely';
import type { ColumnState } from './table-state.ts';

/** What a dialect needs to know to write the triggers and log of one change log. */
export interface ChangeLogSpec {
  table: string;
  /** The table's primary-key columns (the log stores them). */
  key: readonly ColumnState[];
  /** The log table. */
  log: string;
  /** Prefix of the trigger (and PostgreSQL function) names, unique to this change log. */
  trigger: string;
  /** New columns (added by the migration: the old code never writes them) that the backfill computes. */
  fills: readonly string[];
  /**
   * Columns the application writes that new columns are computed from: an update that changes one is
   * logged. `text`: compared byte for byte where the dialect compares by collation.
   */
  sources: readonly { name: string; text: boolean }[];
  /** Existing columns filled where NULL: an update that sets one back to NULL is logged. */
  nullFills: readonly string[];
  /**
   * Existing columns the backfill rewrites in place (the old code writes them too): an update that changes
   * one's value is logged (an unchanged value written back is not: in-place transforms need not be
   * idempotent). The backfill's own writes are logged too; each batch deletes the entries of its key range.
   */
  inPlace: readonly { name: string; text: boolean }[];
  /** PostgreSQL `lock_timeout` of the contract's table lock. */
  lockTimeoutMs: number;
  /**
   * Tables whose foreign keys reference `table` (they exist throughout the migration): MySQL locks them for
   * reading with the catch-up, since an ALTER of `table` under the lock needs their metadata locks, which an
   * application statement on a child waiting for the parent's row would otherwise hold (a deadlock).
   */
  children: readonly string[];
}

/**
 * A dialect's SQL for change logs (see `ChangeLogPlan`): every insert is logged; an update is logged when
 * it changes a source column or sets a NULL-filled column back to NULL, never for the backfill's own
 * writes (which touch neither), so the log holds only the application's writes.
 */
export interface ChangeLogSql {
  /** Creates the log table (if missing) and the triggers; safe to run again after an interrupted attempt. */
  start(spec: ChangeLogSpec): CompiledQuery[];
  /** Creates the triggers again (dropping any left over), the log table being there. */
  triggers(spec: ChangeLogSpec): CompiledQuery[];
  /** Drops the triggers; safe when they are already gone. */
  stop(spec: ChangeLogSpec): CompiledQuery[];
  /** Drops the log table; safe when it is already gone. */
  drop(spec: ChangeLogSpec): CompiledQuery[];
  /** A query that returns a row while the triggers exist. */
  probe(spec: ChangeLogSpec): CompiledQuery;
  /** Blocks the application's writes to the table for the final catch-up and the DDL after it. */
  lock(spec: ChangeLogSpec): CompiledQuery[];
  /**
   * Makes the work done under `lock` durable before `unlock` where the lock is not a transaction's
   * (MySQL: COMMIT); empty elsewhere. Run only when everything under the lock succeeded.
   */
  commit(spec: ChangeLogSpec): CompiledQuery[];
  /**
   * Releases `lock` where it is not released with the transaction, discarding work not yet committed (run
   * after `commit`, or after a failure); empty elsewhere.
   */
  unlock(spec: ChangeLogSpec): CompiledQuery[];
}
