import { hostname } from 'node:os';
import { EvolveError } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { BatchWrite, DialectCapabilities } from './dialect-capabilities.ts';
import { jsonText } from './json-param.ts';

const LOCK_TABLE = 'evolve_lock';
/** A lease not renewed for this long may be taken over (a process on another host died holding it). */
const LEASE_MS = 60_000;

/**
 * SQLite: transactional DDL; the lock is a lease row taken by one atomic upsert (under SQLite's write
 * lock, as `BEGIN IMMEDIATE` would), renewed while the run lasts, and taken over once expired or when its owner process on this host is gone,
 * so a killed process never blocks the next one for long.
 */
export const sqliteCapabilities: DialectCapabilities = {
  dialect: 'sqlite',
  supportsTransactionalDdl: true,
  supportsForUpdate: false,
  supportsRowValueComparison: true,
  async tryLock(conn, owner) {
    // Each statement is its own implicit write transaction: no transaction stays open across an await,
    // and a busy wait inside the driver (which would block the event loop and, in one process, the lock
    // holder) is switched off while trying.
    const previous = await busyTimeout(conn);
    await sql.raw('pragma busy_timeout = 0').execute(conn);
    try {
      return await takeLease(conn, owner);
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    } finally {
      await sql.raw(`pragma busy_timeout = ${previous}`).execute(conn);
    }
  },
  async renewLock(conn, owner) {
    const result = await sql`update ${sql.table(LOCK_TABLE)} set expires_at = ${Date.now() + LEASE_MS}
      where id = 1 and owner = ${owner}`.execute(conn);
    if (Number(result.numAffectedRows ?? 0) !== 1) {
      throw new EvolveError('LOCK_TIMEOUT', 'the migration lease expired and another process took it over');
    }
  },
  async releaseLock(conn, owner) {
    await sql`delete from ${sql.table(LOCK_TABLE)} where id = 1 and owner = ${owner}`.execute(conn);
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
  async beginBackfill() {
    return async () => {};
  },
  isMissingTable(error) {
    return error instanceof Error && /no such table/i.test(error.message);
  },
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
  writeBatch(batch: BatchWrite) {
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
      from json_each(${jsonText(rows)}) as v where ${match}`;
  },
};

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

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  expires_at: number;
}

/** Takes the lease in one atomic upsert unless a live owner holds an unexpired one. */
async function takeLease(conn: Kysely<any>, owner: string): Promise<boolean> {
  await sql`create table if not exists ${sql.table(LOCK_TABLE)} (
    id integer primary key, owner text not null, host text not null, pid integer not null,
    expires_at integer not null)`.execute(conn);
  const { rows } = await sql<LeaseRow>`select owner, host, pid, expires_at from ${sql.table(LOCK_TABLE)}
    where id = 1`.execute(conn);
  const held = rows[0];
  const now = Date.now();
  if (held && held.owner !== owner && Number(held.expires_at) > now && ownerAlive(held)) return false;
  // The row may have changed since it was read: take it only if it is still the one judged free.
  const abandoned = held?.owner ?? owner;
  const result = await sql`insert into ${sql.table(LOCK_TABLE)} (id, owner, host, pid, expires_at)
    values (1, ${owner}, ${hostname()}, ${process.pid}, ${now + LEASE_MS})
    on conflict (id) do update set owner = excluded.owner, host = excluded.host, pid = excluded.pid,
      expires_at = excluded.expires_at
    where ${sql.table(LOCK_TABLE)}.owner in (${owner}, ${abandoned})`.execute(conn);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** A lease held by a process of this host that no longer exists is abandoned. */
function ownerAlive(lease: LeaseRow): boolean {
  if (lease.host !== hostname()) return true;
  try {
    process.kill(Number(lease.pid), 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
