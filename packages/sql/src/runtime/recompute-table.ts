import type { Migration } from '@evolve/core';
import { type RawBuilder, sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import { keyOrder } from './backfill-batch.ts';
import { type KeyTuple, keyAfter } from './keyset.ts';
import { backfillLockTarget, retryOnLockTimeout } from './lock-retry.ts';
import { recomputeRows } from './recompute-rows.ts';
import type { RunContext } from './run-context.ts';
import { writeTransaction } from './write-transaction.ts';

/** Computes `columns` again for the rows matching `where` (all rows without it), in keyset batches. */
export async function recomputeTable(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  options: { columns: readonly string[]; index: number; where?: RawBuilder<boolean>; onlyNull?: boolean },
): Promise<void> {
  const { columns, where } = options;
  const size = Math.max(1, ctx.batchSize);
  const rowValues = { rowValues: ctx.caps.supportsRowValueComparison };
  const target = backfillLockTarget(migration.id, options.index, plan);
  const onlyNull = new Set(options.onlyNull ? columns : (plan.onlyNull ?? []));
  let after: KeyTuple | undefined;
  for (;;) {
    if (ctx.signal?.aborted) throw aborted(migration.id);
    await ctx.keepAlive();
    const last = await retryOnLockTimeout(ctx, target, () =>
      writeTransaction(
        ctx,
        async (trx) => {
          const rows = await trx
            .selectFrom(plan.table)
            .select(plan.key.map((k) => sql.id(k).as(k)))
            .$if(where !== undefined, (q) => q.where(where!))
            .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
            .orderBy(keyOrder(plan.key))
            .limit(size)
            .execute();
          const keys = rows.map((row) => plan.key.map((k) => row[k]));
          await recomputeRows({ trx, ctx, migration, plan, keys, columns, onlyNull });
          return rows.length < size ? undefined : keys.at(-1);
        },
        { batch: true },
      ),
    );
    if (!last) return;
    after = last;
  }
}
