import type { Migration } from '@evolve/core';
import { sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { applyTransform, keyOrder } from './backfill-batch.ts';
import { type KeyTuple, keyAfter } from './keyset.ts';
import { batchTransforms } from './run-backfill.ts';
import type { RunContext } from './run-context.ts';
import { sleep } from './sleep.ts';

/**
 * Runs a backfill's TS transforms over every row without writing anything, before the migration changes
 * the database: a transform that throws or returns a value that does not fit its field (TRANSFORM_FAILED,
 * naming the row's key) then stops the run with the database exactly as it was. Reads in keyset pages,
 * pausing between them like the backfill.
 */
export async function dryRunTransforms(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
): Promise<void> {
  const transforms = batchTransforms(ctx, migration, plan);
  if (transforms.length === 0) return;
  const rowValues = { rowValues: ctx.caps.supportsRowValueComparison };
  const columns = [...new Set([...plan.key, ...Object.values(plan.read)])];
  let after: KeyTuple | undefined;
  for (;;) {
    const started = performance.now();
    const rows = await ctx.conn
      .selectFrom(plan.table)
      .select(columns.map((c) => sql.id(c).as(c)))
      .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
      .orderBy(keyOrder(plan.key))
      .limit(ctx.batchSize)
      .execute();
    for (const row of rows) {
      const key = plan.key.map((k) => row[k]);
      const old: Record<string, unknown> = {};
      for (const [field, column] of Object.entries(plan.read)) old[field] = row[column];
      for (const transform of transforms) applyTransform(transform, old, plan, key);
    }
    const last = rows.at(-1);
    if (!last || rows.length < ctx.batchSize) return;
    after = plan.key.map((k) => last[k]);
    // paced like the backfill, so that reading every row leaves the application its share of the database
    await sleep(ctx.pauseMs ?? performance.now() - started, ctx.signal);
  }
}
