import { readdirSync, readlinkSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { DumpDialect } from './dump-database.ts';

/**
 * How many client sessions the server has open on the observer's database, the observer's own excluded
 * (PostgreSQL: client backends only, not an autovacuum or parallel worker that happens to work there):
 * `pg_stat_activity` for PostgreSQL, `information_schema.processlist` for MySQL/MariaDB. For SQLite, the
 * open file descriptors of this process on the database file (`file`), since there is no server.
 */
export async function countConnections(
  observer: Kysely<any>,
  dialect: DumpDialect,
  file?: string,
): Promise<number> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ n: string | number }>`
      select count(*) as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
        and backend_type = 'client backend'`.execute(observer);
    return Number(rows[0]?.n);
  }
  if (dialect === 'mysql') {
    const { rows } = await sql<{ n: string | number }>`
      select count(*) as n from information_schema.processlist
      where db = database() and id <> connection_id()`.execute(observer);
    return Number(rows[0]?.n);
  }
  if (!file) throw new Error('counting SQLite handles needs the database file');
  return openHandles(file);
}

/**
 * Client sessions on the observer's database that are busy or inside a transaction (not idle), observer
 * excluded: what each is running, for the failure message.
 */
export async function busyConnections(
  observer: Kysely<any>,
  dialect: 'postgres' | 'mysql',
): Promise<string[]> {
  if (dialect === 'postgres') {
    // client sessions only: an autovacuum worker woken by the backfill's updates is busy on its own
    const { rows } = await sql<{ what: string }>`
      select coalesce(application_name, '') || ': ' || coalesce(query, '') as what from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
        and state <> 'idle'`.execute(observer);
    return rows.map((r) => r.what);
  }
  const { rows } = await sql<{ what: string }>`
    select concat(command, ': ', coalesce(info, '')) as what from information_schema.processlist
    where db = database() and id <> connection_id() and command <> 'Sleep'`.execute(observer);
  return rows.map((r) => r.what);
}

/**
 * PostgreSQL client sessions on the observer's database that do not carry `applicationName`, observer
 * excluded. Server workers (an autovacuum worker woken by the backfill's updates) are not sessions anyone
 * opened, so they do not count.
 */
export async function countForeignConnections(
  observer: Kysely<any>,
  applicationName: string,
): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    select count(*) as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
      and application_name <> ${applicationName}`.execute(observer);
  return Number(rows[0]?.n);
}

/** File descriptors of this process open on `file` (Linux /proc). */
export function openHandles(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

/** Samples `probe` every `everyMs` until stopped; returns the highest value seen. */
export function sampleMax(
  probe: () => Promise<number>,
  everyMs = 15,
): { stop(): Promise<{ max: number; samples: number }> } {
  let max = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      max = Math.max(max, await probe());
      samples++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max, samples };
    },
  };
}
