import type { Kysely, RawBuilder } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';

/** A batch of new values for a TS-transform backfill: key columns then target columns, one row each. */
export interface BatchWrite {
  table: string;
  key: readonly string[];
  columns: readonly string[];
  /** Columns written only where they are still NULL (`coalesce(column, new value)`). */
  onlyNull?: ReadonlySet<string>;
  /** Each row: key values (in `key` order) followed by new values (in `columns` order). */
  rows: readonly (readonly unknown[])[];
}

/** A set-based update of the next `limit` rows after `after` in key order. */
export interface RangeUpdate {
  table: string;
  key: readonly string[];
  after: readonly unknown[] | undefined;
  limit: number;
  set: Record<string, unknown>;
}

/**
 * What differs between dialects for the runner, so that shared code never checks a dialect name
 * (Kysely's adapters do the same with `supportsTransactionalDdl` and `acquireMigrationLock`).
 * Every function runs on the one pinned connection it is given.
 */
export interface DialectCapabilities {
  dialect: SqlDialect;
  /** DDL can be rolled back, so a migration's transactional steps share one transaction. */
  supportsTransactionalDdl: boolean;
  /** `(a, b) > (x, y)` is understood and served by an index. */
  supportsRowValueComparison: boolean;
  /** `select ... for update` exists (a TS backfill locks the batch it reads until it writes it back). */
  supportsForUpdate: boolean;
  /** Takes the migration lock without waiting; false when another session holds it. */
  tryLock(conn: Kysely<any>, owner: string): Promise<boolean>;
  /** Keeps a lease-based lock alive (no-op where the lock lives as long as the session). */
  renewLock(conn: Kysely<any>, owner: string): Promise<void>;
  releaseLock(conn: Kysely<any>, owner: string): Promise<void>;
  /** Whether an error means "this table does not exist". */
  isMissingTable(error: unknown): boolean;
  /**
   * Runs before a backfill's batches and returns what undoes it. PostgreSQL turns off the synchronous WAL
   * flush for the session meanwhile: a server crash may lose the newest batches, but each batch and its
   * checkpoint commit together, so the rerun redoes exactly what was lost.
   */
  beginBackfill(conn: Kysely<any>): Promise<() => Promise<void>>;
  /**
   * Optional: one statement that finds a batch's end key and updates the range up to it (the generic path
   * takes two). Resolves with the end key, or undefined (and no update) when fewer than `limit` rows remain.
   */
  updateKeyRange?(
    trx: Kysely<any>,
    range: RangeUpdate,
  ): Promise<{ end: readonly unknown[]; rows: number } | undefined>;
  /**
   * Runs before each migration and returns what restores the session afterwards, whatever happened
   * (SQLite: a failed table rebuild must not leave `foreign_keys` off on the application's connection).
   */
  guardSession(conn: Kysely<any>): Promise<() => Promise<void>>;
  /**
   * Optional, where DDL is not transactional: whether a statement's error means that it had already taken
   * effect (duplicate column or index, table already there, dropped object already gone). A process killed
   * between a committed DDL statement and its progress record leaves exactly that behind; the rerun then
   * goes on with the next statement, as an `IF NOT EXISTS` guard would.
   */
  isAlreadyApplied?(error: unknown, statement: string): boolean;
  /** Optional: the SQL of a table's triggers (SQLite drops them with the table a rebuild replaces). */
  triggersOf?(executor: Kysely<any>, table: string): Promise<string[]>;
  /** A cheap row-count estimate for progress. */
  estimateRows(conn: Kysely<any>, table: string): Promise<number>;
  /** A value as this dialect's driver wants it bound (booleans, dates, JSON). */
  toParam(value: unknown): unknown;
  /** ONE statement writing a whole batch of new values by key. */
  writeBatch(batch: BatchWrite): RawBuilder<unknown>;
}
