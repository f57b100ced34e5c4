import { type Kysely, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import type { Lease } from './lease.ts';
import { createLockTable, LOCK_ROW, LOCK_TABLE, type LockRow, readLockRow } from './lock-table.ts';
import { processGone, processIdentity } from './process-identity.ts';

/** One attempt at the lock: the lease, or the row that shows who holds it (undefined when not known). */
export type LeaseAttempt = { lease: Lease } | { heldBy: LockRow | undefined };

/** Runs of this process that ended without releasing their lease (the database was unreachable or busy). */
const endedHere = new Set<string>();

/**
 * Records that this process's run `owner` is over although its lease could not be released: a later
 * attempt in this process (an application retrying `migrate()`) takes the lease over at once instead of
 * waiting for it to run out. Other processes wait for it to run out.
 */
export function abandonLease(owner: string): void {
  endedHere.add(owner);
}

/**
 * One attempt to take the migration lock in a few short statements and no transaction, so that it works
 * through a transaction-pooling proxy and holds nothing while it waits. It reads the lock row; without one
 * the lock is free and it inserts its own (the primary key lets exactly one of several instances in). A
 * row whose lease ran out (by the database's clock), or whose holder is gone (a process of this machine
 * that no longer exists, or a run of this process that ended), it takes over with one update conditional
 * on the owner and token it read: of several instances that saw the same row, exactly one update matches.
 *
 * @example
 * const attempt = await takeLease(db, capabilitiesFor(db), { owner: crypto.randomUUID(), leaseMs: 30_000 });
 * if ('lease' in attempt) console.log('migrating as', attempt.lease.owner); // then releaseLease(db, attempt.lease)
 */
export async function takeLease(
  db: Kysely<any>,
  caps: DialectCapabilities,
  options: { owner: string; leaseMs: number },
): Promise<LeaseAttempt> {
  const attempt = (executor: Kysely<any>) => tryTake(executor, caps, options);
  const result = caps.withoutWaiting ? await caps.withoutWaiting(db, attempt) : await attempt(db);
  return result ?? { heldBy: undefined };
}

async function tryTake(
  executor: Kysely<any>,
  caps: DialectCapabilities,
  options: { owner: string; leaseMs: number },
): Promise<LeaseAttempt> {
  const row = await readLockRow(executor, caps);
  if (!row) return insertLease(executor, caps, options);
  const abandoned = endedHere.has(row.owner) || processGone(row);
  if (row.expiresAt > row.now && !abandoned) return { heldBy: row };
  const result = await executor
    .updateTable(LOCK_TABLE)
    .set({ ...holderColumns(caps, options), token: sql`${sql.ref('token')} + 1` })
    .where('id', '=', LOCK_ROW)
    .where('owner', '=', row.owner)
    .where('token', '=', row.token)
    // Checked again by the database: the holder may have renewed since the row was read.
    .$if(!abandoned, (q) => q.where('expires_at', '<=', caps.nowMs))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { heldBy: row };
  return {
    lease: { owner: options.owner, token: row.token + 1, leaseMs: options.leaseMs, nowMs: caps.nowMs },
  };
}

/** Takes the free lock by inserting the row (creating the table on first use). */
async function insertLease(
  executor: Kysely<any>,
  caps: DialectCapabilities,
  options: { owner: string; leaseMs: number },
): Promise<LeaseAttempt> {
  const insert = () =>
    executor
      .insertInto(LOCK_TABLE)
      .values({ id: LOCK_ROW, ...holderColumns(caps, options), token: caps.nowMs })
      .execute();
  try {
    await insert().catch(async (error: unknown) => {
      if (!caps.isMissingTable(error)) throw error;
      await createLockTable(executor);
      await insert();
    });
  } catch (error) {
    // A duplicate key: another instance inserted first, and holds the lock.
    const winner = await readLockRow(executor, caps);
    if (winner) return { heldBy: winner };
    throw error;
  }
  const row = await readLockRow(executor, caps);
  if (row?.owner !== options.owner) return { heldBy: row };
  return { lease: { owner: options.owner, token: row.token, leaseMs: options.leaseMs, nowMs: caps.nowMs } };
}

/** The columns that name this run and this process as the holder, with a fresh lease. */
function holderColumns(caps: DialectCapabilities, options: { owner: string; leaseMs: number }) {
  const me = processIdentity();
  return {
    owner: options.owner,
    expires_at: sql`${caps.nowMs} + ${options.leaseMs}`,
    host: me.host,
    pid: me.pid,
    pid_scope: me.pidScope,
  };
}
