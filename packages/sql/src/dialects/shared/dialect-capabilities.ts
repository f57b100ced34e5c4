import type { JsonValue } from '@evolve/core';
import type { ColumnDefinitionBuilder, CompiledQuery, Expression, Kysely, RawBuilder } from 'kysely';
import type { CompiledStep, SqlDialect } from '../../compiled-step.ts';
import type { LiveSchema } from '../../drift/live-schema.ts';
import type { CostRates, StepLock } from '../../plan/estimate-cost.ts';
import type { LiveExtras } from '../../pull/live-extras.ts';
import type { ColumnSpec, SqlStep } from '../../steps/sql-step.ts';
import type { ChangeLogSql } from './change-log-sql.ts';
import type { SchemaState } from './table-state.ts';

/** A batch of new values for a TS-transform backfill: key columns then target columns, one row each. */
export interface BatchWrite {
  table: string;
  key: readonly string[];
  columns: readonly string[];
  /** Columns written only where they are still NULL (`coalesce(column, new value)`). */
  onlyNull?: ReadonlySet<string>;
  /**
   * Each row: key values (in `key` order, as read) followed by new values (in `columns` order) as the
   * transforms returned them: the dialect binds them its own way (objects go to a JSON column as JSON,
   * not as a string of JSON text).
   */
  rows: readonly (readonly unknown[])[];
  /**
   * Optional: the first and last key of the rows in keyset order (a batch read in key order). The write is
   * bounded to that range, so that the database scans the batch's range, never the whole table.
   */
  range?: { first: readonly unknown[]; last: readonly unknown[] };
  /**
   * Optional (dialects with `rowVersion`): each row's version as it was read, in `rows` order. The write
   * then skips every row whose version changed since (the application wrote it meanwhile); the statement's
   * affected-row count tells the runner whether it wrote them all.
   */
  versions?: readonly string[];
  /**
   * Optional (from `columnTypes`): the SQL types of the key and written columns, for a write of typed
   * arrays instead of JSON where every value is a plain scalar.
   */
  types?: Readonly<Record<string, string>>;
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
 * Everything that differs between dialects, in one object per dialect (`dialects/<name>/`): what the
 * engine can do, how steps compile (per-step hooks over a shared base), how the live schema is read, and
 * what the runner needs (locks, lock waits, transactional DDL, confirming interrupted DDL, batch writes).
 * Shared code asks these instead of checking a dialect's name, as Kysely's adapters answer
 * `supportsTransactionalDdl`. `capabilitiesFor(db)` finds the object for a Kysely instance.
 *
 * The runtime functions run on the executor they are given: the pinned connection, a transaction, or
 * (while waiting for the lock) the application's pool. None leaves session state behind, so a
 * transaction-pooling proxy in front of the database is fine.
 */
export interface DialectCapabilities {
  readonly dialect: SqlDialect;
  /** DDL runs inside transactions and rolls back, so a migration's transactional steps share one transaction. */
  readonly supportsTransactionalDdl: boolean;

  /** CREATE INDEX CONCURRENTLY outside a transaction. */
  concurrentIndexes: boolean;
  /** Constraints can be added NOT VALID and validated later. */
  notValidConstraints: boolean;
  /** ALTER can change a column's type, nullability and default; without it the table is rebuilt. */
  alterColumns: boolean;
  /**
   * An enum column's CHECK is declared in its column definition under evolve's name
   * (`constraint <table>_<column>_enum check (...)`: PostgreSQL, SQLite); without it the CHECK is written
   * unnamed in the column definition and the server names it after the column (MariaDB, where changing
   * such a CHECK with MODIFY COLUMN is ALGORITHM=INSTANT; see `enum-check.ts`).
   */
  namedColumnChecks: boolean;
  /**
   * `=` and `in` on text follow the column's collation, which ignores case and trailing spaces by default
   * (MySQL/MariaDB): an exact comparison needs BINARY.
   */
  collatedTextComparison: boolean;
  /**
   * A single-column INTEGER primary key is filled by the database whenever an insert leaves it out, generated
   * or not (SQLite's rowid alias): such a key that the model does not mark generated is no drift.
   */
  integerKeysGenerate: boolean;

  // ---- compiling steps and reading the live schema

  /** A Kysely instance with a DummyDriver: compiles builders, never connects. */
  readonly db: Kysely<any>;
  /** The SQL type of a column (`spec.sqlType` wins). */
  columnType(spec: Pick<ColumnSpec, 'type' | 'sqlType'>): string;
  /** Marks a column definition generated (`ColumnSpec.generated`): identity, AUTO_INCREMENT, or nothing. */
  generatedColumn(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The DEFAULT expression for a constant value of a column. */
  defaultExpression(spec: ColumnSpec, value: JsonValue): Expression<unknown>;
  /** Compiles one step against the schema as it is before the step. */
  compileStep(step: SqlStep, context: CompileContext): CompiledStep[];
  /**
   * Optionally compiles several leading steps at once (SQLite merges consecutive rebuilds of one table);
   * undefined to compile the first step alone.
   */
  compileRun?(
    steps: readonly SqlStep[],
    context: CompileContext,
  ): { compiled: CompiledStep[]; consumed: number } | undefined;
  /**
   * Optionally reorders a migration's steps before they compile, to the same result (SQLite puts each
   * table's rebuild steps next to each other, so they compile to one rebuild).
   */
  orderSteps?(steps: readonly SqlStep[], context: CompileContext): SqlStep[];
  /** The set-based expression moving a JSON value (see `moveJson`), for the target column. */
  moveJsonExpression(move: JsonMove, target: ColumnSpec): Expression<unknown>;
  /** Reads tables, columns, keys and indexes of the live database (for drift). */
  introspect(db: Kysely<any>): Promise<LiveSchema>;
  /** A type name in the form the catalog reports it (`varchar(20)` -> `character varying(20)`). */
  canonicalType(type: string): string;
  /** The constant a catalog default expression stands for, as text (`'a''b'::text` -> `a'b`). */
  defaultText(expression: string): string;
  /** How a constant default is stored, as text comparable with `defaultText` (true -> '1' on MySQL). */
  expectedDefaultText(spec: ColumnSpec, value: JsonValue): string;
  /**
   * Whether the engine named this index itself for a UNIQUE constraint and reserves such names (SQLite's
   * `sqlite_autoindex_<table>_<n>`): an index of the same shape stands for the expected one.
   */
  isAutomaticIndex(name: string): boolean;
  /** Reads what the models cannot hold or only approximate (triggers, views, partial indexes, ...), for `pullSchema`. */
  liveExtras(db: Kysely<any>): Promise<LiveExtras>;
  /** The row count of each of these tables that exists, from the database's statistics where it keeps them. */
  tableRows(db: Kysely<any>, tables: readonly string[]): Promise<Record<string, number>>;
  /** For `estimateCost`: default rates, and the lock a table rewrite and a metadata-only DDL step take. */
  readonly cost: { rates: CostRates; rewriteLock: StepLock; ddlLock: StepLock };
  /** The statements of a trigger-maintained change log (see `ChangeLogPlan`). */
  readonly changeLog: ChangeLogSql;

  // ---- the runner

  /** `(a, b) > (x, y)` is understood and served by an index. */
  supportsRowValueComparison: boolean;
  /** `select ... for update` exists (a TS backfill locks the batch it reads until it writes it back). */
  supportsForUpdate: boolean;
  /**
   * `update ... returning` exists: a set-based batch under an in-place change log learns exactly which rows
   * it rewrote. Without it (MySQL) the batch's range is locked against inserts (InnoDB's next-key locks).
   */
  supportsUpdateReturning: boolean;
  /**
   * Optional: a TS backfill that reads its batches before their transactions reads the next batch during
   * the pause after a batch. Only where the driver leaves the process free meanwhile and a read blocks no
   * writer (not SQLite: better-sqlite3 runs synchronously, and outside WAL mode a reader holds off commits).
   */
  readsAheadDuringPause?: boolean;
  /**
   * Optional: the batch duration adaptive batching aims at by default (else 40 ms). SQLite has one writer:
   * every application write waits for a whole batch, so its batches aim shorter.
   */
  targetBatchMs?: number;
  /**
   * The database server's clock in epoch milliseconds, as SQL. The migration lock's lease runs out by this
   * one clock, never by the clocks of the hosts competing for it.
   */
  nowMs: RawBuilder<number>;
  /**
   * Optional: runs the statements of one attempt at the migration lock (taking or releasing it) so that they
   * never wait on a busy database, resolving undefined when it was busy. `executor` is the pool or a pinned
   * connection. SQLite needs it: its driver waits synchronously, which would stall the whole process, and
   * with it a lock holder in the same process.
   */
  withoutWaiting?<T>(
    executor: Kysely<any>,
    attempt: (conn: Kysely<any>) => Promise<T>,
  ): Promise<T | undefined>;
  /** Whether an error means "this table does not exist". */
  isMissingTable(error: unknown): boolean;
  /**
   * Whether an error means that the connection to the server is gone (backend terminated, socket reset,
   * server shut down): the run cannot go on, and a rerun resumes where it stopped.
   */
  isConnectionLost(error: unknown): boolean;
  /**
   * Optional: settings for one backfill batch, made inside its transaction and gone with it (`SET LOCAL`),
   * its lock waits bounded as `lockTimeoutInTransaction` would, in the same round trip (it replaces that
   * call in a batch's transaction). PostgreSQL turns off the synchronous WAL flush: a server crash may lose
   * the newest batches, but each batch and its checkpoint commit together, so the rerun redoes exactly
   * what was lost.
   */
  beginBatch?(trx: Kysely<any>, options: { lockTimeoutMs: number }): Promise<void>;
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
   * between a committed DDL statement and its progress record leaves exactly that behind. The runner takes
   * it as applied only for the statement its progress row says was under way, and only when
   * `confirmApplied` finds the object to be the one the statement creates; otherwise the step fails.
   */
  isAlreadyApplied?(error: unknown, statement: string): boolean;
  /** Optional: the SQL of a table's triggers (SQLite drops them with the table a rebuild replaces). */
  triggersOf?(executor: Kysely<any>, table: string): Promise<string[]>;
  /** A cheap row-count estimate for progress. */
  estimateRows(conn: Kysely<any>, table: string): Promise<number>;
  /** A value as this dialect's driver wants it bound (booleans, dates, JSON). */
  toParam(value: unknown): unknown;
  /**
   * Optional: SQL for a row's version as text, which changes with every write of the row (PostgreSQL
   * `xmin`). With it, a TS batch of a backfill without change log reads its rows before its transaction,
   * without locking them, and writes them with their `versions` (see `BatchWrite`): a row the application
   * changed in between is not written, and the runner then redoes the whole batch reading it locked.
   */
  rowVersion?: RawBuilder<string>;
  /**
   * Optional: the SQL types (without modifiers) of those of `columns` whose values a batch may bind as
   * typed arrays (`BatchWrite.types`); the others are left out. Read once per backfill.
   */
  columnTypes?(
    executor: Kysely<any>,
    table: string,
    columns: readonly string[],
  ): Promise<Record<string, string>>;
  /** ONE statement writing a whole batch of new values by key. */
  writeBatch(batch: BatchWrite): RawBuilder<unknown>;
  /**
   * Optional: called first in every transaction evolve opens for DDL or a batch, so that its lock waits
   * end after `ms` (PostgreSQL: `set_config('lock_timeout', ..., true)`, i.e. SET LOCAL, which ends with
   * the transaction and so is safe behind a transaction-pooling proxy).
   */
  lockTimeoutInTransaction?(trx: Kysely<any>, ms: number): Promise<void>;
  /**
   * Optional: bounds the lock waits of the session's next statements (MySQL `lock_wait_timeout` and
   * `innodb_lock_wait_timeout`, SQLite `busy_timeout`) and returns what restores the previous values.
   */
  lockTimeoutForSession?(conn: Kysely<any>, ms: number): Promise<() => Promise<void>>;
  /**
   * Write transactions take the write lock when they begin (SQLite `BEGIN IMMEDIATE`, waiting under the
   * busy timeout), instead of failing on upgrade from a read lock when another process writes.
   */
  beginsWritesImmediately?: boolean;
  /** Optional: whether an error means a lock wait timed out, or a deadlock was broken (worth a retry). */
  isLockTimeout?(error: unknown): boolean;
  /**
   * Optional: the other sessions that hold locks on these tables, or open transactions when the engine
   * cannot tell per table, one line each for people (`pid 4242 (app "worker", idle in transaction ...)`).
   */
  lockHolders?(conn: Kysely<any>, tables: readonly string[]): Promise<string[]>;
  /**
   * Optional, with `isAlreadyApplied`: whether the object that made `statement` fail as "already there"
   * is the one `statement` creates (same table, same name with the same case, same columns or type), so
   * that a rerun takes it for its own interrupted work and not for someone else's object.
   */
  confirmApplied?(conn: Kysely<any>, statement: string, error: unknown): Promise<boolean>;
  /**
   * Optional: runs before a statement that an earlier attempt of ours recorded as under way runs again,
   * and clears what that attempt can have left half-made, checked to be exactly what the statement makes
   * (PostgreSQL: the INVALID index of an interrupted `create index concurrently`). Never touches an
   * object that differs from it.
   */
  clearInterrupted?(conn: Kysely<any>, statement: string): Promise<void>;
}

/** The state a dialect compiler sees for one step: the schema as it is just before the step runs. */
export interface CompileContext {
  state: SchemaState;
  module: DialectCapabilities;
  /** Lock timeout for DDL on dialects that support one (PostgreSQL `SET LOCAL lock_timeout`). */
  lockTimeoutMs: number;
}

/** A resolved `moveJson`: columns and the JSON paths inside them (empty path: the column itself). */
export interface JsonMove {
  from: { column: string; path: string[] };
  to: { column: string; path: string[] };
}

export type { CompiledQuery };
