import type { Migration } from '@evolve/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { aborted } from './aborted.ts';
import {
  type BackfillProgress,
  type BatchInput,
  type BatchResult,
  type BatchTransform,
  clearBatchLog,
  expressionBatch,
  type ReadBatch,
  readsBeforeBatch,
  readsVersioned,
  readTransformBatch,
  transformBatch,
  transformWrite,
  writeTransformBatch,
} from './backfill-batch.ts';
import { createBatchSizer } from './batch-sizer.ts';
import { transformFor } from './check-transforms.ts';
import { jsonText } from './json-param.ts';
import type { KeyTuple } from './keyset.ts';
import { backfillLockTarget, retryOnLockTimeout } from './lock-retry.ts';
import { RowsChangedSinceRead } from './rows-changed-since-read.ts';
import type { RunContext } from './run-context.ts';
import { sleep } from './sleep.ts';
import { insertStepRow, type StepKey, updateStepRow } from './step-progress.ts';
import { transformTargetField } from './transform-target-field.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Runs one backfill in keyset-paginated batches, each batch and its checkpoint in one short transaction,
 * so that an interrupted run (even a killed process) resumes after the last committed batch and every row
 * is written exactly once. SQL expressions and constants run set-based over the batch's key range; TS
 * transforms read the batch, compute, and write it back in one statement.
 */
/** The TS transforms of a backfill, each with the field its result must fit. */
export function batchTransforms(ctx: RunContext, migration: Migration, plan: BackfillPlan): BatchTransform[] {
  return Object.entries(plan.set).flatMap(([column, source]) =>
    'transform' in source
      ? [
          {
            column,
            path: `${source.transform.model}.${source.transform.field}`,
            fn: transformFor(migration, source.transform.model, source.transform.field),
            field: transformTargetField(ctx, migration.id, source.transform.model, source.transform.field),
          },
        ]
      : [],
  );
}

/** The columns a backfill sets from an expression or a constant (set-based, beside any TS transforms). */
function setBasedValues(ctx: RunContext, plan: BackfillPlan): Record<string, RawBuilder<unknown> | unknown> {
  const setBased: Record<string, RawBuilder<unknown> | unknown> = {};
  const onlyNull = new Set(plan.onlyNull ?? []);
  for (const [column, source] of Object.entries(plan.set)) {
    const value =
      'expression' in source
        ? sql.raw(`(${source.expression})`)
        : 'value' in source
          ? sql`${ctx.caps.toParam(source.value)}`
          : undefined;
    if (value === undefined) continue;
    setBased[column] = onlyNull.has(column) ? sql`coalesce(${sql.id(column)}, ${value})` : value;
  }
  return setBased;
}

export async function runBackfill(
  ctx: RunContext,
  migration: Migration,
  plan: BackfillPlan,
  step: StepKey,
  resume: { checkpoint: string | null; rowsDone: number } | undefined,
): Promise<void> {
  const transforms = batchTransforms(ctx, migration, plan);
  const setBased = setBasedValues(ctx, plan);
  const progress: BackfillProgress = {
    checkpoint: resume?.checkpoint ? (JSON.parse(resume.checkpoint) as KeyTuple) : undefined,
    rowsDone: resume?.rowsDone ?? 0,
    rowExists: resume !== undefined,
  };
  const lockTarget = backfillLockTarget(migration.id, step.index, plan);
  // Counting rows may wait for a table lock too (a table without statistics is counted).
  const totalEstimate = await retryOnLockTimeout(ctx, lockTarget, () =>
    writeTransaction(ctx, (trx) => ctx.caps.estimateRows(trx, plan.table)),
  );
  const rowValues = { rowValues: ctx.caps.supportsRowValueComparison };
  const batch = transforms.length > 0 ? transformBatch : expressionBatch;
  // TS batches read before their transaction where a change log carries what changes after the read, or
  // where the write checks each row's version (a changed row makes the batch redo itself locked)
  const versioned = transforms.length > 0 && readsVersioned(plan, ctx.caps);
  const early = transforms.length > 0 && (readsBeforeBatch(plan) || versioned);
  const readAhead = early && ctx.caps.readsAheadDuringPause === true;
  // the key and transformed columns' types, where the dialect writes typed arrays
  const types =
    transforms.length > 0 && ctx.caps.columnTypes
      ? await ctx.caps.columnTypes(ctx.conn, plan.table, [...plan.key, ...transforms.map((t) => t.column)])
      : undefined;
  const readUnlocked = (input: Omit<BatchInput, 'trx'>) =>
    readTransformBatch(ctx.conn, input, { lock: false, version: versioned });
  await batches();

  /** One batch's write and its checkpoint, in the batch's transaction. */
  async function record(trx: Kysely<any>, write: Promise<BatchResult>): Promise<BatchResult> {
    const result = await write;
    await clearBatchLog(trx, plan, progress.checkpoint, result.checkpoint, rowValues, result.keys);
    const state = {
      status: result.done ? ('done' as const) : ('running' as const),
      checkpoint: result.checkpoint ? jsonText(result.checkpoint) : null,
      rowsDone: progress.rowsDone + result.rows,
    };
    if (progress.rowExists) await updateStepRow(trx, step, state);
    else await insertStepRow(trx, step, state);
    return result;
  }

  async function batches(): Promise<void> {
    const sizer = createBatchSizer({ size: ctx.batchSize, targetMs: ctx.targetBatchMs });
    // Where the batch reads before its transaction (and the driver does not block the process), the next
    // batch is read and computed during the pause after this one, while no lock is held.
    let ahead: Promise<ReadBatch> | undefined;
    for (;;) {
      if (ctx.signal?.aborted) throw aborted(migration.id);
      await ctx.keepAlive();
      const input = { ctx, plan, transforms, setBased, progress, rowValues, types, size: sizer.size };
      let prefetched = ahead;
      ahead = undefined;
      let lockMs = 0;
      let readMs = 0;
      const done = await retryOnLockTimeout(ctx, lockTarget, async () => {
        // Read and compute before the transaction where the change log or the rows' versions make that
        // safe: the batch's row locks (or a database-wide write lock) then last only as long as its writes.
        const reading = performance.now();
        const read: ReadBatch | undefined = early ? await (prefetched ?? readUnlocked(input)) : undefined;
        readMs = performance.now() - reading;
        // a retry after a lock timeout writes the same read: what changed since is the change log's, or
        // fails the versions' check
        prefetched = read ? Promise.resolve(read) : undefined;
        const statement = read ? transformWrite(input, read) : undefined;
        const started = performance.now();
        const commit = (write: (batchInput: BatchInput) => Promise<BatchResult>) =>
          writeTransaction(ctx, (trx) => record(trx, write({ ...input, trx })), { batch: true });
        try {
          return await commit(
            read ? (batchInput) => writeTransformBatch(batchInput, read, statement) : batch,
          );
        } catch (error) {
          if (!(error instanceof RowsChangedSinceRead)) throw error;
          // the application wrote a row between the read and the write: the batch again, read locked
          prefetched = undefined;
          return await commit(batch);
        } finally {
          lockMs = performance.now() - started;
        }
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
        batchMs: lockMs,
      });
      if (done.done) return;
      const size = sizer.record(done.rows, lockMs);
      // the default pause: as long as the batch kept the database busy (its read too, unless read ahead)
      const pause = sleep(ctx.pauseMs ?? lockMs + readMs, ctx.signal);
      if (readAhead) {
        ahead = readUnlocked({ ...input, size });
        // awaited by the next batch; an abort meanwhile must not leave its failure unhandled
        ahead.catch(() => {});
      }
      await pause;
    }
  }
}
