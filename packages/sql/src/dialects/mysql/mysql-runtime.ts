import { sql } from 'kysely';
import { jsonForObjects } from '../../runtime/json-param.ts';
import { within } from '../../runtime/keyset.ts';
import { isSocketLost } from '../../runtime/socket-errors.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { confirmMysqlApplied } from './mysql-confirm-applied.ts';
import { mysqlLockWait } from './mysql-lock-wait.ts';

/**
 * Table exists (1050), unknown table on drop (1051), duplicate column (1060), duplicate key name (1061),
 * can't drop a missing column or key (1091), duplicate foreign key name (1826). The runner takes them as
 * "already applied" only for a statement its progress row recorded as under way, once `confirmApplied`
 * finds the object to be the one the statement creates.
 */
const ALREADY_APPLIED = new Set([1050, 1051, 1060, 1061, 1091, 1826]);

const RENAME_COLUMN = /^\s*alter\s+table\s+\S+\s+rename\s+column\s/i;

/**
 * Server shutdown (1053), connection killed (MariaDB 1927), server gone away (2006), lost during a query
 * (2013), disconnected for inactivity (4031).
 */
const CONNECTION_LOST_ERRNO = new Set([1053, 1927, 2006, 2013, 4031]);

/**
 * MySQL / MariaDB: DDL commits implicitly, so every step is its own unit, and each of its statements is
 * recorded as under way before it runs.
 */
export const mysqlRuntime = {
  supportsForUpdate: true,
  readsAheadDuringPause: true,
  supportsUpdateReturning: false,
  supportsRowValueComparison: false,
  // UTC and microseconds whatever the session's time zone; integer division keeps it a BIGINT.
  nowMs: sql<number>`(timestampdiff(microsecond, '1970-01-01 00:00:00', utc_timestamp(6)) div 1000)`,
  async guardSession() {
    return async () => {};
  },
  isAlreadyApplied(error, statement) {
    const errno = (error as { errno?: unknown } | null)?.errno;
    if (typeof errno !== 'number') return false;
    // A column rename that already happened reports its old name as unknown (1054).
    return ALREADY_APPLIED.has(errno) || (errno === 1054 && RENAME_COLUMN.test(statement));
  },
  confirmApplied: confirmMysqlApplied,
  ...mysqlLockWait,
  isMissingTable(error) {
    const e = error as { code?: unknown; errno?: unknown } | null;
    return e?.code === 'ER_NO_SUCH_TABLE' || e?.errno === 1146;
  },
  isConnectionLost(error) {
    const e = error as { code?: unknown; errno?: unknown; fatal?: unknown } | null;
    // mysql2 marks every error that closed the connection as fatal (PROTOCOL_CONNECTION_LOST, a command
    // sent on a closed connection, a reset socket).
    if (e?.fatal === true || isSocketLost(error)) return true;
    return typeof e?.errno === 'number' && CONNECTION_LOST_ERRNO.has(e.errno);
  },
  async estimateRows(conn, table) {
    const { rows } = await sql<{ n: number | string | null }>`
      select table_rows as n from information_schema.tables
      where table_schema = database() and table_name = ${table}`.execute(conn);
    return Number(rows[0]?.n ?? 0);
  },
  toParam: jsonForObjects,
  writeBatch(batch) {
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
      set ${assignments}
      ${within(batch, false, 'where')}`;
  },
} satisfies Partial<DialectCapabilities>;
