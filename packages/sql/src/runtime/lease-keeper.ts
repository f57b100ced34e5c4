import type { Kysely } from 'kysely';
import { type Lease, renewLease } from './lease.ts';

export interface LeaseKeeper {
  /** Renews on `conn` when a third of the lease has passed (cheap to call between every step and batch). */
  keepAlive(conn: Kysely<any>): Promise<void>;
  /**
   * Stops the timer at once; resolves when a renewal in flight has settled (await that after unpinning:
   * the renewal may be waiting for the pool).
   */
  stop(): Promise<void>;
}

/**
 * Keeps a lease alive while its run works. Between steps and batches the run renews on its pinned
 * connection (`keepAlive`); when nothing renewed for a third of the lease, because one statement (an index
 * build, a long DDL) keeps that connection busy, a timer renews through the pool instead. A renewal that
 * finds the lease taken over makes the next `keepAlive` fail with LOCK_LOST; one that fails otherwise is
 * retried at the next call until two thirds of the lease have passed unrenewed.
 *
 * @example
 * const keeper = leaseKeeper(db, lease);
 * await keeper.keepAlive(conn); // between batches
 * await keeper.stop();
 */
export function leaseKeeper(db: Kysely<any>, lease: Lease): LeaseKeeper {
  const everyMs = Math.max(1, Math.floor(lease.leaseMs / 3));
  let renewedAt = Date.now();
  let lost: unknown;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (inFlight || stopped || Date.now() - renewedAt < everyMs) return;
    inFlight = renewLease(db, lease)
      .then(
        () => {
          renewedAt = Date.now();
        },
        (error: unknown) => {
          // A connection hiccup is retried on the next tick; a lease taken over is final.
          if (!stopped && (error as { code?: unknown })?.code === 'LOCK_LOST') lost = error;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
  }, everyMs);
  // The timer never keeps the process alive on its own.
  timer.unref?.();
  return {
    async keepAlive(conn) {
      if (lost) throw lost;
      if (Date.now() - renewedAt < everyMs) return;
      try {
        await renewLease(conn, lease);
        renewedAt = Date.now();
      } catch (error) {
        // A lease taken over is final. Any other failure (a busy database file under the application's
        // writes, a lock wait) is tried again at the next call while two thirds of the lease remain unspent.
        if ((error as { code?: unknown })?.code === 'LOCK_LOST' || Date.now() - renewedAt >= 2 * everyMs)
          throw error;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
