import { type Kysely, sql } from 'kysely';
import { jsonText } from '../../runtime/json-param.ts';
import { within } from '../../runtime/keyset.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { sqliteLockWait } from './sqlite-lock-wait.ts';

/**
 * SQLite: transactional DDL. The migration lock is the lease row every dialect uses; attempts at it run
 * with the busy timeout off, since better-sqlite3 waits synchronously and would stall the lock holder when
 * it shares the process.
 */
export const sqliteRuntime = {
  supportsForUpdate: false,
  supportsUpdateReturning: true,
  // one writer: the application's statements wait out whole batches (1M rows: p99 4.4x at 40 ms)
  targetBatchMs: 12,
  supportsRowValueComparison: true,
  nowMs: sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`,
  async withoutWaiting(executor, attempt) {
    return executor.connection().execute(async (conn) => {
      const previous = await busyTimeout(conn);
      await sql.raw('pragma busy_timeout = 0').execute(conn);
      try {
        return await attempt(conn);
      } catch (error) {
        if (isBusy(error)) return undefined;
        throw error;
      } finally {
        await sql.raw(`pragma busy_timeout = ${previous}`).execute(conn);
      }
    });
  },
  async guardSession(conn) {
    const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(conn);
    const enabled = Number(rows[0]?.foreign_keys ?? 0) === 1;
    return async () => {
      await sql.raw(`pragma foreign_keys = ${enabled ? 'on' : 'off'}`).execute(conn);
    };
  },
  async triggersOf(executor, table) {
    const { rows } = await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'trigger' and tbl_name = ${table} and sql is not null`.execute(
      executor,
    );
    return rows.map((r) => r.sql);
  },
  ...sqliteLockWait,
  isMissingTable(error) {
    return error instanceof Error && /no such table/i.test(error.message);
  },
  // A file has no connection to lose.
  isConnectionLost: () => false,
  async estimateRows(conn, table) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(conn);
    return Number(rows[0]?.n ?? 0);
  },
  toParam(value) {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) return jsonText(value);
    return value;
  },
  writeBatch(batch) {
    // One JSON parameter holds the batch as arrays: [key..., value...].
    const at = (i: number) => sql`json_extract(v.value, ${`$[${i}]`})`;
    const assignments = sql.join(
      batch.columns.map((c, i) =>
        batch.onlyNull?.has(c)
          ? sql`${sql.id(c)} = coalesce(t.${sql.id(c)}, ${at(batch.key.length + i)})`
          : sql`${sql.id(c)} = ${at(batch.key.length + i)}`,
      ),
    );
    const match = sql.join(
      batch.key.map((k, i) => sql`t.${sql.id(k)} = ${at(i)}`),
      sql` and `,
    );
    const rows = batch.rows.map((row) => row.map((v) => sqliteJsonValue(v)));
    return sql`update ${sql.table(batch.table)} as t set ${assignments}
      from json_each(${jsonText(rows)}) as v where ${match}${within(batch, true)}`;
  },
} satisfies Partial<DialectCapabilities>;

/** JSON cannot carry booleans as SQLite stores them, nor nested objects as text: convert first. */
function sqliteJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return jsonText(value);
  return value;
}

async function busyTimeout(conn: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
  return Math.max(0, Math.trunc(Number(rows[0]?.timeout ?? 0)));
}

/** SQLITE_BUSY and SQLITE_LOCKED, with their extended codes. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
