import { sql } from 'kysely';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';

/** Lock wait timeout exceeded (metadata or row lock), deadlock found. */
const LOCK_ERRORS = new Set([1205, 1213]);

interface HolderRow {
  id: number | string;
  user: string | null;
  host: string | null;
  command: string | null;
  seconds: number | string | null;
  rows_locked: number | string | null;
  query: string | null;
}

/**
 * MySQL / MariaDB lock waits: `lock_wait_timeout` (metadata locks: ALTER, CREATE INDEX) and
 * `innodb_lock_wait_timeout` (row locks: backfill batches) for the session, in whole seconds (at least 1,
 * the servers' unit), restored afterwards; who may hold them from `information_schema.innodb_trx` (the
 * other sessions with an open transaction, oldest first: InnoDB does not say which tables a transaction
 * touched, and a metadata lock's holder is only known while someone waits).
 */
export const mysqlLockWait: Pick<
  DialectCapabilities,
  'lockTimeoutForSession' | 'isLockTimeout' | 'lockHolders'
> = {
  async lockTimeoutForSession(conn, ms) {
    const { rows } = await sql<{ metadata: number | string; row: number | string }>`
      select @@session.lock_wait_timeout as metadata, @@session.innodb_lock_wait_timeout as \`row\``.execute(
      conn,
    );
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    await sql`set session lock_wait_timeout = ${sql.lit(seconds)}, innodb_lock_wait_timeout = ${sql.lit(seconds)}`.execute(
      conn,
    );
    const metadata = Number(rows[0]?.metadata ?? 31_536_000);
    const row = Number(rows[0]?.row ?? 50);
    return async () => {
      await sql`set session lock_wait_timeout = ${sql.lit(metadata)}, innodb_lock_wait_timeout = ${sql.lit(row)}`.execute(
        conn,
      );
    };
  },
  isLockTimeout(error) {
    const errno = (error as { errno?: unknown } | null)?.errno;
    return typeof errno === 'number' && LOCK_ERRORS.has(errno);
  },
  async lockHolders(conn) {
    const { rows } = await sql<HolderRow>`
      select t.trx_mysql_thread_id as id, p.user, p.host, p.command,
        timestampdiff(second, t.trx_started, now()) as seconds, t.trx_rows_locked as rows_locked,
        left(coalesce(t.trx_query, p.info), 120) as query
      from information_schema.innodb_trx t
        left join information_schema.processlist p on p.id = t.trx_mysql_thread_id
      where t.trx_mysql_thread_id <> connection_id()
      order by t.trx_started`.execute(conn);
    return rows.map((r) => {
      const who = r.user ? `${r.user}@${r.host ?? '?'}, ` : '';
      const locked = Number(r.rows_locked ?? 0) > 0 ? `, ${r.rows_locked} row lock(s)` : '';
      const query = r.query ? `, running: ${r.query}` : r.command === 'Sleep' ? ', idle' : '';
      return `connection ${r.id} (${who}transaction open for ${Number(r.seconds ?? 0)} s${locked}${query})`;
    });
  },
};
