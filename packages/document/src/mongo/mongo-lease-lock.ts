import { randomUUID } from 'node:crypto';
import { EvolveError } from '@evolve/core';
import type { Db } from 'mongodb';

/** The collection that holds evolve's locks, beside the journal. */
export const LOCKS_COLLECTION = 'evolve_locks';

interface LockDocument {
  _id: string;
  name: string;
  /** Generation: each holder claims the next one. */
  n: number;
  owner: string;
  at: Date;
  /** Until when the holder's lease runs (renewed while it works); after it, the next instance takes over. */
  expiresAt: number;
  released: boolean;
}

export interface MongoLockOptions {
  /** The lock's name (default `migrate`). */
  name?: string;
  /** How long to wait for another instance before LOCK_TIMEOUT. Default 60 000. */
  timeoutMs?: number;
  /** How long a lease lasts without renewal (a crashed holder blocks others this long). Default 30 000. */
  leaseMs?: number;
  /** Called while waiting, with how long this instance has waited. */
  onWait?: (waitedMs: number) => void;
}

/** A held lock: renewed in the background until released. */
export interface MongoLock {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isDuplicate = (error: unknown) => (error as { code?: unknown }).code === 11000;

/**
 * A lease lock in a MongoDB database (`evolve_locks`) that many instances starting at once can race for,
 * on servers without transactions or atomic conditional updates (FerretDB) too: the holder inserts the
 * lock's next generation, and a unique `_id` lets exactly one instance insert each generation. A free lock
 * (released, or its lease expired because its holder died) is taken by inserting the generation after it;
 * nothing is ever updated or deleted by anyone but its holder. Waiting instances poll with jitter and hold
 * no connection while they sleep. Leases are judged by the instances' clocks, so they must roughly agree.
 *
 * @example
 * const lock = await acquireMongoLock(client.db('app'), { timeoutMs: 60_000 });
 * try {
 *   // apply the migrations
 * } finally {
 *   await lock.release();
 * }
 */
export async function acquireMongoLock(db: Db, options: MongoLockOptions = {}): Promise<MongoLock> {
  const name = options.name ?? 'migrate';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const locks = db.collection<LockDocument>(LOCKS_COLLECTION);
  const owner = randomUUID();
  const started = Date.now();
  for (;;) {
    const [top] = await locks.find({ name }).sort({ n: -1 }).limit(1).toArray();
    if (!top || top.released || top.expiresAt < Date.now()) {
      const n = top ? top.n + 1 : 0;
      const id = `${name}#${n}`;
      try {
        await locks.insertOne({
          _id: id,
          name,
          n,
          owner,
          at: new Date(),
          expiresAt: Date.now() + leaseMs,
          released: false,
        });
      } catch (error) {
        if (isDuplicate(error)) continue; // another instance took this generation first
        throw error;
      }
      // generations long gone only take room (nobody inserts that far back)
      await locks.deleteMany({ name, n: { $lt: n - 20 } }).catch(() => {});
      const renew = setInterval(() => {
        locks.updateOne({ _id: id, owner }, { $set: { expiresAt: Date.now() + leaseMs } }).catch(() => {});
      }, leaseMs / 3);
      renew.unref?.();
      return {
        async release() {
          clearInterval(renew);
          await locks.updateOne({ _id: id, owner }, { $set: { released: true } });
        },
      };
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) {
      throw new EvolveError(
        'LOCK_TIMEOUT',
        `another instance has held the ${name} lock for over ${timeoutMs} ms (owner ${top.owner}, since ${top.at.toISOString()})`,
        { path: `${LOCKS_COLLECTION}.${name}` },
      );
    }
    options.onWait?.(waited);
    await sleep(100 + Math.floor(Math.random() * 200));
  }
}
