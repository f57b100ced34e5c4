import { sql } from 'kysely';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';

/**
 * SQLite lock waits: the connection's `busy_timeout` (restored afterwards), write transactions that
 * begin IMMEDIATE, and SQLITE_BUSY / SQLITE_LOCKED (with their extended codes) as lock timeouts. SQLite
 * cannot tell which process holds the database's write lock.
 */
export const sqliteLockWait: Pick<
  DialectCapabilities,
  'lockTimeoutForSession' | 'beginsWritesImmediately' | 'isLockTimeout'
> = {
  beginsWritesImmediately: true,
  async lockTimeoutForSession(conn, ms) {
    const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
    const previous = Math.max(0, Math.trunc(Number(rows[0]?.timeout ?? 0)));
    await sql.raw(`pragma busy_timeout = ${Math.max(1, Math.round(ms))}`).execute(conn);
    return async () => {
      await sql.raw(`pragma busy_timeout = ${previous}`).execute(conn);
    };
  },
  isLockTimeout(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
  },
};
