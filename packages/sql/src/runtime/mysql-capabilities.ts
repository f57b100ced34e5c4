import { sql } from 'kysely';
import type { BatchWrite, DialectCapabilities } from './dialect-capabilities.ts';
import { jsonForObjects } from './json-param.ts';

/**
 * Table exists (1050), unknown table on drop (1051), duplicate column (1060), duplicate key name (1061),
 * can't drop a missing column or key (1091), duplicate foreign key name (1826).
 */
const ALREADY_APPLIED = new Set([1050, 1051, 1060, 1061, 1091, 1826]);

const RENAME_COLUMN = /^\s*alter\s+table\s+\S+\s+rename\s+column\s/i;

/** GET_LOCK names are server-wide: scope the lock to the current database (names are at most 64 chars). */
const lockName = sql`concat('evolve:', md5(database()))`;

/**
 * MySQL / MariaDB: DDL commits implicitly, so every step is its own unit and is recorded as it completes;
 * the migration lock is GET_LOCK, released by the server when the session ends.
 */
export const mysqlCapabilities: DialectCapabilities = {
  dialect: 'mysql',
  supportsTransactionalDdl: false,
  supportsForUpdate: true,
  supportsRowValueComparison: false,
  async tryLock(conn) {
    const { rows } = await sql<{ ok: number | null }>`select get_lock(${lockName}, 0) as ok`.execute(conn);
    return Number(rows[0]?.ok) === 1;
  },
  async renewLock() {},
  async releaseLock(conn) {
    await sql`select release_lock(${lockName})`.execute(conn);
  },
  async guardSession() {
    return async () => {};
  },
  async beginBackfill() {
    return async () => {};
  },
  isAlreadyApplied(error, statement) {
    const errno = (error as { errno?: unknown } | null)?.errno;
    if (typeof errno !== 'number') return false;
    // A column rename that already happened reports its old name as unknown (1054).
    return ALREADY_APPLIED.has(errno) || (errno === 1054 && RENAME_COLUMN.test(statement));
  },
  isMissingTable(error) {
    const e = error as { code?: unknown; errno?: unknown } | null;
    return e?.code === 'ER_NO_SUCH_TABLE' || e?.errno === 1146;
  },
  async estimateRows(conn, table) {
    const { rows } = await sql<{ n: number | string | null }>`
      select table_rows as n from information_schema.tables
      where table_schema = database() and table_name = ${table}`.execute(conn);
    return Number(rows[0]?.n ?? 0);
  },
  toParam: jsonForObjects,
  writeBatch(batch: BatchWrite) {
    const names = [...batch.key, ...batch.columns];
    const selects = batch.rows.map((row, r) =>
      r === 0
        ? sql`select ${sql.join(names.map((n, i) => sql`${jsonForObjects(row[i])} as ${sql.id(n)}`))}`
        : sql`select ${sql.join(names.map((_n, i) => sql`${jsonForObjects(row[i])}`))}`,
    );
    const assignments = sql.join(
      batch.columns.map((c) =>
        batch.onlyNull?.has(c)
          ? sql`t.${sql.id(c)} = coalesce(t.${sql.id(c)}, v.${sql.id(c)})`
          : sql`t.${sql.id(c)} = v.${sql.id(c)}`,
      ),
    );
    const match = sql.join(
      batch.key.map((k) => sql`t.${sql.id(k)} = v.${sql.id(k)}`),
      sql` and `,
    );
    return sql`update ${sql.table(batch.table)} as t
      join (${sql.join(selects, sql` union all `)}) as v on ${match}
      set ${assignments}`;
  },
};
