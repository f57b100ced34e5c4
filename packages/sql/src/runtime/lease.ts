import { EvolveError } from '@evolve/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { LOCK_ROW, LOCK_TABLE } from './lock-table.ts';

/** A run's hold on the migration lock: the lock row names its owner and token until it is released. */
export interface Lease {
  /** The run's random id, written into the lock row. */
  readonly owner: string;
  /** The fencing token: a write is accepted only while the lock row carries this owner and this token. */
  readonly token: number;
  /** How long the lease lasts after each renewal. */
  readonly leaseMs: number;
  /** The database's clock (the dialect's `nowMs`): the lease runs out by the server's time. */
  readonly nowMs: RawBuilder<number>;
  /**
   * false while the run's session holds the lock table under a READ table lock (`LOCK TABLES`, see
   * `readLockedLease`): nobody can change the row then, and an update of it is refused, so the fence reads it.
   */
  readonly renews?: boolean;
}

/**
 * Extends the lease, and checks that this run still holds it: LOCK_LOST when another process took it over
 * after it ran out. Inside a transaction it is the fence of the writes that follow: the row it updates stays
 * locked until commit, so the lease cannot change hands between the check and the commit.
 */
export async function renewLease(executor: Kysely<any>, lease: Lease): Promise<void> {
  const result = await executor
    .updateTable(LOCK_TABLE)
    .set({ expires_at: sql`${lease.nowMs} + ${lease.leaseMs}` })
    .where('id', '=', LOCK_ROW)
    .where('owner', '=', lease.owner)
    .where('token', '=', lease.token)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw lockLost(lease);
}

/**
 * The lease as the fence of writes made while the run's own session holds the lock table under a READ
 * table lock (`LOCK TABLES ... evolve_lock read`): every other session can still read the row (the
 * waiters' polls never queue behind the lock), but none can take it over until the tables are unlocked, so
 * a fence that finds this run's owner and token there holds until then. Renew the lease just before
 * locking, so that it does not run out meanwhile.
 */
export function readLockedLease(lease: Lease): Lease {
  return { ...lease, renews: false };
}

/** LOCK_LOST unless the lock row still names this run's owner and token. */
async function checkLease(executor: Kysely<any>, lease: Lease): Promise<void> {
  const row = await executor
    .selectFrom(LOCK_TABLE)
    .select('token')
    .where('id', '=', LOCK_ROW)
    .where('owner', '=', lease.owner)
    .where('token', '=', lease.token)
    .executeTakeFirst();
  if (!row) throw lockLost(lease);
}

const lockLost = (lease: Lease) =>
  new EvolveError(
    'LOCK_LOST',
    `this run's lease on the migration lock (token ${lease.token}) ran out and another process took the lock over; ` +
      'it stopped without writing more (what it finished stays recorded)',
    { details: { token: lease.token } },
  );

/** Frees the lock (deletes its row) if this run still holds it; a lease already taken over is left alone. */
export async function releaseLease(executor: Kysely<any>, lease: Lease): Promise<void> {
  await executor
    .deleteFrom(LOCK_TABLE)
    .where('id', '=', LOCK_ROW)
    .where('owner', '=', lease.owner)
    .where('token', '=', lease.token)
    .execute();
}

/**
 * Renews the lease, then runs `write` on the same executor: the fence of every journal and progress write.
 * Inside a transaction (where evolve writes progress) the renewal keeps the lock row locked until commit
 * (or the database's write lock), so when the lease was lost the write fails with LOCK_LOST and nothing of the
 * transaction is committed. Outside one (a progress mark before a DDL statement that commits on its own),
 * the lease was just extended by a whole `leaseMs`, so nobody can take it before the next statement.
 */
export async function fenced(
  executor: Kysely<any>,
  lease: Lease,
  write: (executor: Kysely<any>) => Promise<unknown>,
): Promise<void> {
  await (lease.renews === false ? checkLease(executor, lease) : renewLease(executor, lease));
  await write(executor);
}
