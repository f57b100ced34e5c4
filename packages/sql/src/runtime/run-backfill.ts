import { EvolveError, isEvolveError, type Migration, type Transform } from '@evolve/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { transformFor } from './check-transforms.ts';
import { jsonText } from './json-param.ts';
import { type KeyTuple, keyAfter, keyAtMost } from './keyset.ts';
import type { RunContext } from './run-context.ts';
import { sleep } from './sleep.ts';
import { insertStepRow, type StepKey, updateStepRow } from './step-progress.ts';

interface Progress {
  checkpoint: KeyTuple | undefined;
  rowsDone: number;
  rowExists: boolean;
}

/**
 * Runs one backfill in keyset-paginated batches, each batch and its checkpoint in one short transaction,
 * so that an interrupted run (even a killed process) resumes after the last committed batch and every row
 * is written exactly once. SQL expressions and constants run set-based over the batch's key range; TS
 * transforms read the batch, compute, and write it back in one statement.
 */
export async function runBackfill(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  step: StepKey,
  resume: { checkpoint: string | null; rowsDone: number } | undefined,
): Promise<void> {
  const transforms = Object.entries(plan.set).flatMap(([column, source]) =>
    'transform' in source
      ? [
          {
            column,
            path: `${source.transform.model}.${source.transform.field}`,
            fn: transformFor(migration, source.transform.model, source.transform.field),
          },
        ]
      : [],
  );
  const setBased: Record<string, RawBuilder<unknown> | unknown> = {};
  for (const [column, source] of Object.entries(plan.set)) {
    if ('expression' in source) setBased[column] = sql.raw(`(${source.expression})`);
    else if ('value' in source) setBased[column] = ctx.caps.toParam(source.value);
  }
  const progress: Progress = {
    checkpoint: resume?.checkpoint ? (JSON.parse(resume.checkpoint) as KeyTuple) : undefined,
    rowsDone: resume?.rowsDone ?? 0,
    rowExists: resume !== undefined,
  };
  const totalEstimate = await ctx.caps.estimateRows(ctx.conn, plan.table);
  const rowValues = { rowValues: ctx.caps.supportsRowValueComparison };
  const batch = transforms.length > 0 ? transformBatch : expressionBatch;
  const restore = await ctx.caps.beginBackfill(ctx.conn);
  try {
    await batches();
  } finally {
    await restore();
  }

  async function batches(): Promise<void> {
    for (;;) {
      if (ctx.signal?.aborted) throw aborted(migration.id);
      await ctx.keepAlive();
      const started = performance.now();
      const done = await ctx.conn.transaction().execute(async (trx) => {
        const result = await batch({ trx, ctx, plan, transforms, setBased, progress, rowValues });
        const state = {
          status: result.done ? ('done' as const) : ('running' as const),
          checkpoint: result.checkpoint ? jsonText(result.checkpoint) : null,
          rowsDone: progress.rowsDone + result.rows,
        };
        if (progress.rowExists) await updateStepRow(trx, step, state);
        else await insertStepRow(trx, step, state);
        return result;
      });
      progress.rowExists = true;
      progress.rowsDone += done.rows;
      progress.checkpoint = done.checkpoint ?? progress.checkpoint;
      ctx.progress({
        type: 'backfill',
        id: migration.id,
        index: step.index,
        table: plan.table,
        rowsDone: progress.rowsDone,
        totalEstimate: Math.max(totalEstimate, progress.rowsDone),
        done: done.done,
        batchMs: performance.now() - started,
      });
      if (done.done) return;
      await sleep(ctx.pauseMs, ctx.signal);
    }
  }
}

interface BatchInput {
  trx: Kysely<any>;
  ctx: RunContext;
  plan: BackfillPlan;
  transforms: { column: string; path: string; fn: Transform }[];
  setBased: Record<string, unknown>;
  progress: Progress;
  rowValues: { rowValues: boolean };
}

interface BatchResult {
  rows: number;
  checkpoint: KeyTuple | undefined;
  done: boolean;
}

/** SQL expressions and constants: find the batch's last key, then one set-based UPDATE over the range. */
async function expressionBatch(input: BatchInput): Promise<BatchResult> {
  const { trx, ctx, plan, progress, rowValues } = input;
  const after = progress.checkpoint;
  if (ctx.caps.updateKeyRange) {
    const range = { table: plan.table, key: plan.key, after, limit: ctx.batchSize, set: input.setBased };
    const updated = await ctx.caps.updateKeyRange(trx, range);
    if (updated) return { rows: updated.rows, checkpoint: updated.end, done: false };
    // Fewer than a batch remain: the generic path below finishes the table.
  }
  const upper = await trx
    .selectFrom(plan.table)
    .select(plan.key.map((k) => sql.id(k).as(k)))
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .orderBy(keyOrder(plan.key))
    .limit(1)
    .offset(ctx.batchSize - 1)
    .executeTakeFirst();
  const end = upper ? plan.key.map((k) => upper[k]) : undefined;
  const result = await trx
    .updateTable(plan.table)
    .set(input.setBased)
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .$if(end !== undefined, (q) => q.where(keyAtMost(plan.key, end!, rowValues)))
    .executeTakeFirst();
  return { rows: Number(result.numUpdatedRows), checkpoint: end, done: end === undefined };
}

/** TS transforms: read the batch (locked where possible), compute in JS, write it back in one statement. */
async function transformBatch(input: BatchInput): Promise<BatchResult> {
  const { trx, ctx, plan, progress, rowValues, transforms } = input;
  const after = progress.checkpoint;
  const columns = [...new Set([...plan.key, ...Object.values(plan.read)])];
  const rows = await trx
    .selectFrom(plan.table)
    .select(columns.map((c) => sql.id(c).as(c)))
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .orderBy(keyOrder(plan.key))
    .limit(ctx.batchSize)
    .$if(ctx.caps.supportsForUpdate, (q) => q.forUpdate())
    .execute();
  const last = rows.at(-1);
  if (!last) return { rows: 0, checkpoint: undefined, done: true };
  const values = rows.map((row) => {
    const key = plan.key.map((k) => row[k]);
    const old: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(plan.read)) old[field] = row[column];
    return [...key, ...transforms.map((t) => ctx.caps.toParam(apply(t, old, plan, key)))];
  });
  await ctx.caps
    .writeBatch({ table: plan.table, key: plan.key, columns: transforms.map((t) => t.column), rows: values })
    .execute(trx);
  const end = plan.key.map((k) => last[k]);
  if (Object.keys(input.setBased).length > 0) {
    await trx
      .updateTable(plan.table)
      .set(input.setBased)
      .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
      .where(keyAtMost(plan.key, end, rowValues))
      .execute();
  }
  return { rows: rows.length, checkpoint: end, done: rows.length < ctx.batchSize };
}

function apply(
  transform: { path: string; fn: Transform },
  old: Record<string, unknown>,
  plan: BackfillPlan,
  key: unknown[],
): unknown {
  try {
    const value = transform.fn(old);
    return value === undefined ? null : value;
  } catch (error) {
    if (isEvolveError(error, 'TODO_TRANSFORM')) throw error;
    const keyText = jsonText(key.length === 1 ? key[0] : key);
    throw new EvolveError(
      'TRANSFORM_FAILED',
      `transform ${transform.path} failed on ${plan.table} row ${keyText}: ${(error as Error)?.message ?? String(error)}`,
      { path: transform.path, cause: error, details: { table: plan.table, key } },
    );
  }
}

/** `a, b` for `order by`: ascending keyset order. */
function keyOrder(key: readonly string[]) {
  return sql`${sql.join(key.map((k) => sql.id(k)))}`;
}

export function aborted(id: string): EvolveError {
  return new EvolveError(
    'MIGRATION_FAILED',
    `migration ${id} stopped: the run was aborted; rerun to resume`,
    {
      path: id,
    },
  );
}
