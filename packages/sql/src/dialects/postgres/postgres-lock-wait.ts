import { sql } from 'kysely';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';

/** lock_not_available (a lock_timeout or NOWAIT gave up), deadlock_detected. */
const LOCK_ERRORS = new Set(['55P03', '40P01']);

interface HolderRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  seconds: number | string | null;
  modes: string | null;
  query: string | null;
}

/**
 * PostgreSQL lock waits: `lock_timeout` set per transaction with `set_config(..., true)` (SET LOCAL: it ends
 * with the transaction, so a transaction-pooling proxy never hands it to another client; CREATE INDEX
 * CONCURRENTLY runs outside any transaction and so without one), and who holds locks on a table from
 * `pg_locks` and `pg_stat_activity`.
 */
export const postgresLockWait: Pick<
  DialectCapabilities,
  'lockTimeoutInTransaction' | 'isLockTimeout' | 'lockHolders'
> = {
  async lockTimeoutInTransaction(trx, ms) {
    await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(ms))}ms`}, true)`.execute(trx);
  },
  isLockTimeout(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && LOCK_ERRORS.has(code);
  },
  async lockHolders(conn, tables) {
    // Locks granted on the tables to other sessions: the lock this run waited for is among them (a row
    // lock's holder holds a lock on its table too). pg_blocking_pids would only tell while waiting.
    const relations = sql.join(tables.map((t) => sql`to_regclass(${quotedName(t)})`));
    const { rows } = await sql<HolderRow>`
      select a.pid, a.usename, a.application_name, a.state,
        floor(extract(epoch from now() - coalesce(a.xact_start, a.query_start))) as seconds,
        string_agg(distinct l.mode, ', ') as modes, left(a.query, 120) as query
      from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.granted and l.locktype = 'relation' and l.pid <> pg_backend_pid()
        and l.relation in (${relations})
      group by a.pid, a.usename, a.application_name, a.state, a.xact_start, a.query_start, a.query
      order by min(a.xact_start)`.execute(conn);
    return rows.map((r) => {
      const who = [r.usename, r.application_name ? `app "${r.application_name}"` : undefined]
        .filter(Boolean)
        .join(', ');
      const since = r.seconds === null ? '' : ` for ${Number(r.seconds)} s`;
      return `pid ${r.pid} (${who}${who ? ', ' : ''}${r.state ?? 'unknown state'}${since}, holding ${r.modes}; last query: ${r.query ?? '?'})`;
    });
  },
};

/** `schema.table` as quoted identifiers, for to_regclass. */
function quotedName(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}
