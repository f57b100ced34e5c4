import { EvolveError, type Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { LOG_SEQUENCE } from '../dialects/shared/change-log-table.ts';
import { aborted } from './aborted.ts';
import { type KeyTuple, keyIn } from './keyset.ts';
import { backfillLockTarget, retryOnLockTimeout } from './lock-retry.ts';
import { recomputeRows } from './recompute-rows.ts';
import type { RunContext } from './run-context.ts';
import { sleep } from './sleep.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Drains a backfill's change log: reads the oldest entries (at most a batch), computes the logged rows'
 * columns again from the backfill's sources, and deletes exactly the entries it read, all in one
 * transaction, so an entry written meanwhile stays for the next batch and a crash loses nothing.
 * - `executor` given (the contract's final catch-up, with the application's writes blocked): drains until
 *   the log is empty, inside that transaction.
 * - otherwise (the catch-up loop after the batches): each batch in its own short write transaction, with
 *   the backfill's pause between batches, until a batch finds fewer entries than a full batch; what the
 *   application writes after that waits for the final catch-up. A log still full after
 *   `ctx.catchUpTimeoutMs` stops the run with CATCH_UP_BEHIND (what was drained stays drained).
 * Returns the number of entries drained.
 */
export async function drainChangeLog(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  options: { executor?: Kysely<any>; index: number },
): Promise<number> {
  const log = plan.changeLog;
  if (!log) return 0;
  const size = Math.max(1, ctx.batchSize);
  const onlyNull = new Set(plan.onlyNull ?? []);
  const batch = async (trx: Kysely<any>): Promise<number> => {
    const entries = await trx
      .selectFrom(log.table)
      .select([LOG_SEQUENCE, ...plan.key])
      .orderBy(LOG_SEQUENCE)
      .limit(size)
      .execute();
    if (entries.length === 0) return 0;
    const keys = new Map<string, KeyTuple>();
    for (const entry of entries) {
      const key = plan.key.map((k) => entry[k]);
      keys.set(JSON.stringify(key), key);
    }
    await recomputeRows({
      trx,
      ctx,
      migration,
      plan,
      keys: [...keys.values()],
      columns: log.columns,
      onlyNull,
    });
    // In place: every entry of the keys, also those the recompute's own writes just logged (else the drain
    // would feed itself); an application write to such a row waits for this commit and logs afresh.
    await trx
      .deleteFrom(log.table)
      .$if(log.inPlace !== undefined, (q) =>
        q.where(keyIn(plan.key, [...keys.values()], ctx.caps.supportsRowValueComparison)),
      )
      .$if(log.inPlace === undefined, (q) =>
        q.where(
          LOG_SEQUENCE,
          'in',
          entries.map((e) => e[LOG_SEQUENCE]),
        ),
      )
      .execute();
    return entries.length;
  };
  let drained = 0;
  if (options.executor) {
    for (let n = await batch(options.executor); n > 0; n = await batch(options.executor)) drained += n;
    return drained;
  }
  const target = backfillLockTarget(migration.id, options.index, plan);
  const since = performance.now();
  for (;;) {
    if (ctx.signal?.aborted) throw aborted(migration.id);
    await ctx.keepAlive();
    const started = performance.now();
    const n = await retryOnLockTimeout(ctx, target, () =>
      writeTransaction(ctx, (trx) => batch(trx), { batch: true }),
    );
    drained += n;
    if (n < size) return drained;
    if (performance.now() - since > ctx.catchUpTimeoutMs) {
      throw new EvolveError(
        'CATCH_UP_BEHIND',
        `migration ${migration.id}: the application writes ${plan.table} faster than the catch-up drains its change log ` +
          `(${drained} entries drained in ${Math.round(performance.now() - since)} ms, the log still full); the backfill's ` +
          'work is kept: rerun when writes are quieter, or raise batchSize / catchUpTimeoutMs',
        { path: migration.id },
      );
    }
    await sleep(ctx.pauseMs ?? performance.now() - started, ctx.signal);
  }
}
