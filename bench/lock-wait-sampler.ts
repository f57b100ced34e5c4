/**
 * Samples, every few milliseconds from a connection of its own, which of the application's statements are
 * waiting for a lock, and for how long so far: PostgreSQL's `pg_stat_activity` (wait_event_type 'Lock'),
 * MariaDB's InnoDB lock waits and metadata lock waits. A statement slow for another reason (a commit
 * waiting for a log flush, the CPU) is not counted: this is the "blocked" of issue 9's "no statement
 * blocked > 100 ms". evolve's own statements are left out (they name its tables or its batch writes).
 * Waits shorter than the sampling period can be missed; a longer one is seen within one period of its end.
 */
import { type Kysely, sql } from 'kysely';
import { wallClock } from '../test/online/support/run-live-writer.ts';

export interface LockWait {
  /** When the wait was first seen (wallClock()) and the longest it was seen waiting, in ms. */
  seenAt: number;
  ms: number;
  query: string;
}

const EVOLVE = /evolve|json_populate_recordset|lock table|union all/i;

const QUERIES = {
  postgres: sql<{ id: string; ms: number; query: string }>`
    select pid::text || ':' || query_start::text as id,
      extract(epoch from clock_timestamp() - query_start) * 1000 as ms, query
    from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
  mysql: sql<{ id: string; ms: number; query: string }>`
    select concat(p.id, ':', coalesce(t.trx_started, p.time)) as id,
      coalesce(timestampdiff(microsecond, t.trx_wait_started, now(6)) / 1000, p.time_ms) as ms,
      coalesce(p.info, '') as query
    from information_schema.processlist p
    left join information_schema.innodb_trx t on t.trx_mysql_thread_id = p.id
    where p.db = database() and p.id <> connection_id()
      and (t.trx_state = 'LOCK WAIT' or p.state like 'Waiting for%lock%')`,
};

/** Starts sampling on `db` (its own pool); `stop()` returns every wait seen, each with its longest duration. */
export function sampleLockWaits(
  db: Kysely<any>,
  dialect: 'postgres' | 'mysql',
  everyMs = 5,
): { stop(): Promise<LockWait[]> } {
  const waits = new Map<string, LockWait>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await QUERIES[dialect].execute(db);
      for (const row of rows) {
        if (EVOLVE.test(row.query)) continue;
        const seen = waits.get(row.id);
        const ms = Number(row.ms);
        if (!seen) waits.set(row.id, { seenAt: wallClock(), ms, query: row.query.slice(0, 80) });
        else seen.ms = Math.max(seen.ms, ms);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...waits.values()];
    },
  };
}
