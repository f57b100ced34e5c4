import type { Migration } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { applyTransform } from './backfill-batch.ts';
import { type KeyTuple, keyIn } from './keyset.ts';
import { batchTransforms } from './run-backfill.ts';
import type { RunContext } from './run-context.ts';

/** Which rows to recompute, and which of the backfill's columns. */
export interface Recompute {
  trx: Kysely<any>;
  ctx: RunContext;
  migration: Migration;
  plan: BackfillPlan;
  keys: readonly KeyTuple[];
  columns: readonly string[];
  /** Columns written only where they are still NULL. */
  onlyNull: ReadonlySet<string>;
}

/**
 * Computes `columns` of the rows with `keys` again, from the backfill's own sources, and writes them: TS
 * transforms read the rows (locked where the dialect can) and write them back in one statement; SQL
 * expressions and constants run as one UPDATE over the keys. Rows that are gone are passed over.
 */
export async function recomputeRows(input: Recompute): Promise<void> {
  const { trx, ctx, migration, plan, keys, columns, onlyNull } = input;
  if (keys.length === 0) return;
  const where = keyIn(plan.key, keys, ctx.caps.supportsRowValueComparison);
  const transforms = batchTransforms(ctx, migration, plan).filter((t) => columns.includes(t.column));
  if (transforms.length > 0) {
    const read = [...new Set([...plan.key, ...Object.values(plan.read)])];
    const rows = await trx
      .selectFrom(plan.table)
      .select(read.map((c) => sql.id(c).as(c)))
      .where(where)
      .$if(ctx.caps.supportsForUpdate, (q) => q.forUpdate())
      .execute();
    if (rows.length > 0) {
      const values = rows.map((row) => {
        const key = plan.key.map((k) => row[k]);
        const old: Record<string, unknown> = {};
        for (const [field, column] of Object.entries(plan.read)) old[field] = row[column];
        return [...key, ...transforms.map((t) => applyTransform(t, old, plan, key))];
      });
      await ctx.caps
        .writeBatch({
          table: plan.table,
          key: plan.key,
          columns: transforms.map((t) => t.column),
          onlyNull,
          rows: values,
        })
        .execute(trx);
    }
  }
  const setBased: Record<string, unknown> = {};
  for (const column of columns) {
    const source = plan.set[column];
    if (!source || 'transform' in source) continue;
    // migration files are trusted code: a SQL expression is theirs to write
    const value =
      'expression' in source ? sql.raw(`(${source.expression})`) : sql`${ctx.caps.toParam(source.value)}`;
    setBased[column] = onlyNull.has(column) ? sql`coalesce(${sql.ref(column)}, ${value})` : value;
  }
  if (Object.keys(setBased).length > 0) {
    await trx.updateTable(plan.table).set(setBased).where(where).execute();
  }
}
