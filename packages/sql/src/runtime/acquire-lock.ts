import { EvolveError } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { sleep } from './sleep.ts';

/**
 * Takes the migration lock, polling without blocking the session, for at most `timeoutMs`
 * (then LOCK_TIMEOUT). Between attempts it asks `stillNeeded` (a lock-free journal read): once another
 * instance has done the work, it gives up waiting and resolves false instead of queueing for the lock.
 */
export async function acquireLock(
  conn: Kysely<any>,
  caps: DialectCapabilities,
  options: {
    owner: string;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    onWait?: (waitedMs: number) => void;
    stillNeeded?: () => Promise<boolean>;
  },
): Promise<boolean> {
  const started = Date.now();
  let delay = 20;
  for (;;) {
    if (await caps.tryLock(conn, options.owner)) return true;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs || options.signal?.aborted) {
      throw new EvolveError(
        'LOCK_TIMEOUT',
        `another process held the migration lock for ${waited} ms (lockTimeoutMs ${options.timeoutMs}); it may still be migrating`,
        { details: { waitedMs: waited } },
      );
    }
    options.onWait?.(waited);
    await sleep(Math.min(delay, options.timeoutMs - waited), options.signal);
    if (options.stillNeeded && !(await options.stillNeeded())) return false;
    delay = Math.min(delay * 2, 250);
  }
}
