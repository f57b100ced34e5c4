import { type Kysely, sql } from 'kysely';
import { LOCK_WAIT_DEFAULTS } from './lock-wait-settings.ts';
import type { RunContext } from './run-context.ts';

/**
 * Runs `work` in one transaction on the run's pinned connection, with its lock waits bounded: the dialect's
 * `lockTimeoutInTransaction` bounds them for this transaction only (nothing outlives it behind a pooler);
 * where `beginsWritesImmediately`, the transaction takes the write lock when it begins, under the busy
 * timeout, so a concurrent writer delays the transaction instead of failing it halfway. Commits, or rolls back and
 * rethrows. A backfill batch (`batch`) starts with the dialect's `beginBatch` instead.
 *
 * @example
 * await writeTransaction(ctx, (trx) => trx.updateTable('users').set({ n: 1 }).execute());
 */
export async function writeTransaction<T>(
  ctx: RunContext,
  work: (trx: Kysely<any>) => Promise<T>,
  options: { batch?: boolean } = {},
): Promise<T> {
  const timeoutMs = (ctx.lockWait ?? LOCK_WAIT_DEFAULTS).timeoutMs;
  if (!ctx.caps.beginsWritesImmediately) {
    return ctx.conn.transaction().execute(async (trx) => {
      // a backfill batch's settings and its lock timeout in one round trip where the dialect has them
      if (options.batch && ctx.caps.beginBatch) await ctx.caps.beginBatch(trx, { lockTimeoutMs: timeoutMs });
      else await ctx.caps.lockTimeoutInTransaction?.(trx, timeoutMs);
      return work(trx);
    });
  }
  // The connection is pinned for the whole run, so the statements below share its transaction.
  await sql`begin immediate`.execute(ctx.conn);
  let result: T;
  try {
    result = await work(ctx.conn);
    await sql`commit`.execute(ctx.conn);
  } catch (error) {
    // A failed COMMIT (busy) leaves the transaction open: roll it back so that a retry starts clean.
    await sql`rollback`.execute(ctx.conn).catch(() => {});
    throw error;
  }
  return result;
}
