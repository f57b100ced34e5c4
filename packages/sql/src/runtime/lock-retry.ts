import { EvolveError } from '@evolve/core';
import type { BackfillPlan } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import type { Segment } from './group-steps.ts';
import { LOCK_WAIT_DEFAULTS, MAX_RETRY_DELAY_MS } from './lock-wait-settings.ts';
import type { RunContext } from './run-context.ts';
import { sleep } from './sleep.ts';
import { statementTables } from './statement-tables.ts';

/** What waits for a lock: one segment of a migration (its DDL, or one backfill batch). */
export interface LockTarget {
  migrationId: string;
  /** Index of the segment's first step. */
  index: number;
  description: string;
  path?: string | undefined;
  /** The tables its statements work on (for messages and for asking who holds their locks). */
  tables: readonly string[];
  /** What a timed-out attempt leaves behind, for the final error. */
  leaves: string;
}

/** The lock target of a segment of DDL statements. */
export function segmentLockTarget(migrationId: string, segment: Segment): LockTarget {
  const step = segment.steps[0];
  return {
    migrationId,
    index: segment.first,
    description: step?.description ?? '',
    path: step?.path,
    tables: statementTables(segment.steps.flatMap((s) => s.statements)),
    leaves: 'nothing of this step was applied',
  };
}

/** The lock target of a backfill's batches. */
export function backfillLockTarget(migrationId: string, index: number, plan: BackfillPlan): LockTarget {
  return {
    migrationId,
    index,
    description: `backfill ${plan.table}`,
    path: plan.model,
    tables: [plan.table],
    leaves:
      'the batch that timed out wrote nothing; the batches before it are kept and a rerun resumes after them',
  };
}

/**
 * Runs a segment with the session's lock waits bounded (`lockTimeoutForSession`; a dialect that bounds each
 * transaction instead does it in `writeTransaction`), restoring the session's own settings afterwards. With a `target`, the
 * whole segment is also retried on a lock timeout (`retryOnLockTimeout`); a backfill passes none and
 * retries batch by batch.
 */
export async function underLockTimeout<T>(
  ctx: RunContext,
  target: LockTarget | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const timeoutMs = (ctx.lockWait ?? LOCK_WAIT_DEFAULTS).timeoutMs;
  const restore = await ctx.caps.lockTimeoutForSession?.(ctx.conn, timeoutMs);
  try {
    return target ? await retryOnLockTimeout(ctx, target, work) : await work();
  } finally {
    // A broken connection must not hide the error that stopped the work.
    await restore?.().catch(() => {});
  }
}

/**
 * Runs `attempt` (one transaction, or statements that record their own progress) again when it fails on a
 * lock timeout: after `lockRetryDelayMs`, doubling each time, reporting a `lock-retry` progress event
 * with who holds the lock; after `lockRetries` retries, LOCK_TIMEOUT naming the table, the sessions
 * holding it (where the engine tells) and what the run left behind. Any other error passes through.
 */
export async function retryOnLockTimeout<T>(
  ctx: RunContext,
  target: LockTarget,
  attempt: () => Promise<T>,
): Promise<T> {
  const settings = ctx.lockWait ?? LOCK_WAIT_DEFAULTS;
  const attempts = settings.retries + 1;
  const started = performance.now();
  let delay = settings.retryDelayMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!ctx.caps.isLockTimeout?.(error)) throw error;
      const heldBy = await lockHolders(ctx, target.tables);
      if (n >= attempts) throw lockTimeout(target, { error, attempts, heldBy, settings, started });
      ctx.progress({
        type: 'lock-retry',
        id: target.migrationId,
        index: target.index,
        table: target.tables.join(', '),
        attempt: n,
        attempts,
        retryInMs: delay,
        heldBy,
      });
      await sleep(delay, ctx.signal);
      if (ctx.signal?.aborted) throw aborted(target.migrationId);
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }
}

async function lockHolders(ctx: RunContext, tables: readonly string[]): Promise<string[]> {
  if (!ctx.caps.lockHolders || tables.length === 0) return [];
  // Who holds the lock is for the message only: no privilege to look must not change the outcome.
  return ctx.caps.lockHolders(ctx.conn, tables).catch(() => []);
}

function lockTimeout(
  target: LockTarget,
  failure: {
    error: unknown;
    attempts: number;
    heldBy: string[];
    settings: { timeoutMs: number };
    started: number;
  },
): EvolveError {
  const waitedMs = Math.round(performance.now() - failure.started);
  const tables = target.tables.length > 0 ? `table ${target.tables.join(', ')}` : 'its table';
  const holders =
    failure.heldBy.length > 0
      ? ` Held by ${failure.heldBy.join('; ')}.`
      : ' The engine does not say who holds it.';
  return new EvolveError(
    'LOCK_TIMEOUT',
    `migration ${target.migrationId} step ${target.index + 1} "${target.description}": ${tables} stayed locked by ` +
      `another session through ${failure.attempts} attempts of ${failure.settings.timeoutMs} ms each ` +
      `(${waitedMs} ms in all).${holders} ${capitalize(target.leaves)}; rerun once the lock is released, or ` +
      'raise statementLockTimeoutMs or lockRetries.',
    {
      path: target.path ?? target.migrationId,
      cause: failure.error,
      details: {
        tables: [...target.tables],
        heldBy: failure.heldBy,
        attempts: failure.attempts,
        statementLockTimeoutMs: failure.settings.timeoutMs,
        waitedMs,
      },
    },
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
