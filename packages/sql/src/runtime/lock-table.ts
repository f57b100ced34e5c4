import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';

/** evolve's lock table: at most one row, the lease on the right to migrate; no row while nobody holds it. */
export const LOCK_TABLE = 'evolve_lock';
export const LOCK_ROW = 1;

/** The lock row as read, with the database's clock at the moment of reading. */
export interface LockRow {
  /** The holding run's id. */
  owner: string;
  /** Fencing token: the database's clock when the lock was taken, plus one for every takeover since. */
  token: number;
  /** When the lease runs out, in the database's clock (epoch ms). */
  expiresAt: number;
  host: string | null;
  pid: number | null;
  pidScope: string | null;
  /** The database's clock when the row was read (epoch ms). */
  now: number;
}

/** Reads the lock row; undefined when nobody holds the lock (no row, or no table yet). */
export async function readLockRow(
  executor: Kysely<any>,
  caps: DialectCapabilities,
): Promise<LockRow | undefined> {
  let row: Record<string, unknown> | undefined;
  try {
    row = await executor
      .selectFrom(LOCK_TABLE)
      .select(['owner', 'token', 'expires_at', 'host', 'pid', 'pid_scope', caps.nowMs.as('now')])
      .where('id', '=', LOCK_ROW)
      .executeTakeFirst();
  } catch (error) {
    if (caps.isMissingTable(error)) return undefined;
    throw error;
  }
  if (!row) return undefined;
  return {
    owner: String(row.owner),
    token: Number(row.token),
    expiresAt: Number(row.expires_at),
    host: row.host === null ? null : String(row.host),
    pid: row.pid === null ? null : Number(row.pid),
    pidScope: row.pid_scope === null ? null : String(row.pid_scope),
    now: Number(row.now),
  };
}

/**
 * Creates the lock table where missing. Instances starting together race here: `create table if not
 * exists` can still fail (a unique violation in the catalog), so a failure is ignored and the
 * statement that needs the table decides.
 */
export async function createLockTable(executor: Kysely<any>): Promise<void> {
  try {
    await executor.schema
      .createTable(LOCK_TABLE)
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(64)', (c) => c.notNull())
      .addColumn('token', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('host', 'varchar(255)')
      .addColumn('pid', 'integer')
      .addColumn('pid_scope', 'varchar(64)')
      .execute();
  } catch {
    // another instance created it meanwhile
  }
}
