import { EvolveError } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import type { Lease } from './lease.ts';
import type { LockRow } from './lock-table.ts';
import { sleep } from './sleep.ts';
import { takeLease } from './take-lease.ts';

const FIRST_WAIT_MS = 20;
const LONGEST_WAIT_MS = 250;

/**
 * Takes the migration lock for at most `timeoutMs` (then LOCK_TIMEOUT). Every attempt and every look at the
 * journal is a short statement through `db`, the application's pool: a waiting instance pins no connection
 * and keeps no transaction open between polls, so behind a transaction-pooling proxy it holds no server
 * connection while it waits. Polls back off from 20 to 250 ms with jitter, so that instances starting
 * together spread out. Between attempts it asks `stillNeeded` (a lock-free journal read): once another
 * instance has done the work, it stops waiting and resolves undefined.
 */
export async function acquireLock(
  db: Kysely<any>,
  caps: DialectCapabilities,
  options: {
    owner: string;
    leaseMs: number;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    onWait?: (waitedMs: number) => void;
    stillNeeded?: () => Promise<boolean>;
  },
): Promise<Lease | undefined> {
  const started = Date.now();
  let delay = FIRST_WAIT_MS;
  for (;;) {
    const attempt = await takeLease(db, caps, options);
    if ('lease' in attempt) return attempt.lease;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs || options.signal?.aborted) {
      throw new EvolveError(
        'LOCK_TIMEOUT',
        `another process held the migration lock for ${waited} ms (lockTimeoutMs ${options.timeoutMs})${holder(attempt.heldBy)}; it may still be migrating`,
        { details: { waitedMs: waited } },
      );
    }
    options.onWait?.(waited);
    const jittered = delay * (0.5 + Math.random());
    await sleep(Math.min(jittered, options.timeoutMs - waited), options.signal);
    if (options.stillNeeded && !(await options.stillNeeded())) return undefined;
    delay = Math.min(delay * 2, LONGEST_WAIT_MS);
  }
}

/** `: pid 123 on web-1, its lease running out in 2400 ms` */
function holder(row: LockRow | undefined): string {
  if (!row?.owner) return '';
  const where = row.host ? ` on ${row.host}` : '';
  return `: pid ${row.pid ?? '?'}${where}, its lease running out in ${Math.max(0, row.expiresAt - row.now)} ms`;
}
