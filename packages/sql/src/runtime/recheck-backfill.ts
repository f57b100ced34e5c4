import type { Migration } from '@evolve/core';
import { sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import { keyOrder } from './backfill-batch.ts';
import { drainChangeLog } from './drain-change-log.ts';
import { type KeyTuple, keyAfter } from './keyset.ts';
import { backfillLockTarget, retryOnLockTimeout, underLockTimeout } from './lock-retry.ts';
import { recomputeRows } from './recompute-rows.ts';
import type { RunContext } from './run-context.ts';
import { tableColumns } from './table-columns.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * After the batches of a backfill: drains its change log (the catch-up loop), when it has one.
 */
export async function catchUpBackfill(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  index: number,
): Promise<void> {
  if (plan.changeLog) await drainChangeLog(ctx, migration, plan, { index });
}

/**
 * A rerun that finds a backfill recorded done checks it again, unless the migration's contract has since
 * replaced its columns: it drains the change log (writes made since an earlier attempt stopped) and fills
 * the NULLs left in the columns a later step makes NOT NULL (rows inserted while the old code kept
 * writing, or while a failed validation waited for a rerun), so that rerunning always recovers.
 */
export async function recheckBackfill(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  index: number,
): Promise<void> {
  const required = plan.required ?? [];
  if (!plan.changeLog && required.length === 0) return;
  await underLockTimeout(ctx, undefined, async () => {
    const columns = await tableColumns(ctx.conn, plan.table);
    const needed = [...plan.key, ...Object.values(plan.read), ...Object.keys(plan.set)];
    if (!columns || !needed.every((c) => columns.has(c))) return;
    if (plan.changeLog && (await tableColumns(ctx.conn, plan.changeLog.table))) {
      await drainChangeLog(ctx, migration, plan, { index });
    }
    if (required.length > 0) await fillNulls(ctx, migration, plan, required, index);
  });
}

/** Computes `columns` again for every row where one of them is NULL, in keyset batches. */
async function fillNulls(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  columns: readonly string[],
  index: number,
): Promise<void> {
  const size = Math.max(1, ctx.batchSize);
  const rowValues = { rowValues: ctx.caps.supportsRowValueComparison };
  const target = backfillLockTarget(migration.id, index, plan);
  const missing = sql<boolean>`(${sql.join(
    columns.map((c) => sql`${sql.ref(c)} is null`),
    sql` or `,
  )})`;
  let after: KeyTuple | undefined;
  for (;;) {
    if (ctx.signal?.aborted) throw aborted(migration.id);
    await ctx.keepAlive();
    const last = await retryOnLockTimeout(ctx, target, () =>
      writeTransaction(ctx, async (trx) => {
        await ctx.caps.beginBatch?.(trx);
        const rows = await trx
          .selectFrom(plan.table)
          .select(plan.key.map((k) => sql.id(k).as(k)))
          .where(missing)
          .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
          .orderBy(keyOrder(plan.key))
          .limit(size)
          .execute();
        const keys = rows.map((row) => plan.key.map((k) => row[k]));
        await recomputeRows({ trx, ctx, migration, plan, keys, columns, onlyNull: new Set(columns) });
        return rows.length < size ? undefined : keys.at(-1);
      }),
    );
    if (!last) return;
    after = last;
  }
}
