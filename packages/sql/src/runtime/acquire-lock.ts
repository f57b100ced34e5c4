import { EvolveError } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { sleep } from './sleep.ts';

/**
 * Takes the migration lock, polling without blocking the session, for at most `timeoutMs`
 * (then LOCK_TIMEOUT). Resolves with how long it waited.
 */
export async function acquireLock(
  conn: Kysely<any>,
  caps: DialectCapabilities,
  options: {
    owner: string;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    onWait?: (waitedMs: number) => void;
  },
): Promise<number> {
  const started = Date.now();
  let delay = 20;
  for (;;) {
    if (await caps.tryLock(conn, options.owner)) return Date.now() - started;
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
    delay = Math.min(delay * 2, 250);
  }
}
