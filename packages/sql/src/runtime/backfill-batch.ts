import { EvolveError, type FieldSnapshot, isEvolveError, type Transform } from '@evolve/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import { checkValue } from './check-value.ts';
import { jsonText } from './json-param.ts';
import { type KeyTuple, keyAfter, keyAtMost, keyIn } from './keyset.ts';
import { RowsChangedSinceRead } from './rows-changed-since-read.ts';
import type { RunContext } from './run-context.ts';

/** Where a backfill stands: the last key written, and how many rows so far. */
export interface BackfillProgress {
  checkpoint: KeyTuple | undefined;
  rowsDone: number;
  /** Whether its progress row exists yet (the first batch inserts it). */
  rowExists: boolean;
}

/** A TS transform filling one column, and the field its result must fit (when known). */
export interface BatchTransform {
  column: string;
  path: string;
  fn: Transform;
  field?: FieldSnapshot | undefined;
}

export interface BatchInput {
  /** Rows in this batch. */
  size: number;
  trx: Kysely<any>;
  ctx: RunContext;
  plan: BackfillPlan;
  transforms: BatchTransform[];
  setBased: Record<string, unknown>;
  progress: BackfillProgress;
  rowValues: { rowValues: boolean };
  /** The SQL types of the key and transformed columns the dialect binds as typed arrays (`columnTypes`). */
  types?: Readonly<Record<string, string>> | undefined;
}

export interface BatchResult {
  rows: number;
  checkpoint: KeyTuple | undefined;
  done: boolean;
  /** The keys of exactly the rows the batch wrote, where it knows them (see `clearBatchLog`). */
  keys?: KeyTuple[];
}

/** SQL expressions and constants: find the batch's last key, then one set-based UPDATE over the range. */
export async function expressionBatch(input: BatchInput): Promise<BatchResult> {
  const { trx, ctx, plan, progress, rowValues } = input;
  const after = progress.checkpoint;
  // under an in-place change log the batch must know the rows it rewrote (see `clearBatchLog`)
  const returning = plan.changeLog?.inPlace !== undefined && ctx.caps.supportsUpdateReturning;
  const written = (rows: Record<string, unknown>[]) =>
    returning ? { keys: rows.map((r) => plan.key.map((k) => r[k])) } : {};
  if (ctx.caps.updateKeyRange && !returning) {
    const range = { table: plan.table, key: plan.key, after, limit: input.size, set: input.setBased };
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
    .offset(input.size - 1)
    .executeTakeFirst();
  const end = upper ? plan.key.map((k) => upper[k]) : undefined;
  if (!end && plan.changeLog?.inPlace) {
    // an in-place change log: the batch's range must end at a key (see `clearBatchLog`), its last row
    const last = await trx
      .selectFrom(plan.table)
      .select(plan.key.map((k) => sql.id(k).as(k)))
      .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
      .orderBy(sql`${sql.join(plan.key.map((k) => sql`${sql.id(k)} desc`))}`)
      .limit(1)
      .executeTakeFirst();
    if (!last) return { rows: 0, checkpoint: undefined, done: true };
    const final = plan.key.map((k) => last[k]);
    const rows = await rangeUpdate(input, after, final, returning);
    return { rows: rows.count, checkpoint: final, done: true, ...written(rows.keys) };
  }
  const rows = await rangeUpdate(input, after, end, returning);
  return { rows: rows.count, checkpoint: end, done: end === undefined, ...written(rows.keys) };
}

/** One set-based UPDATE of the rows after `after` up to `end`; their keys too when `returning`. */
async function rangeUpdate(
  input: BatchInput,
  after: KeyTuple | undefined,
  end: KeyTuple | undefined,
  returning: boolean,
): Promise<{ count: number; keys: Record<string, unknown>[] }> {
  const { trx, plan, rowValues } = input;
  const query = trx
    .updateTable(plan.table)
    .set(input.setBased)
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .$if(end !== undefined, (q) => q.where(keyAtMost(plan.key, end!, rowValues)));
  if (returning) {
    const keys = await query.returning(plan.key.map((k) => sql.id(k).as(k))).execute();
    return { count: keys.length, keys };
  }
  const result = await query.executeTakeFirst();
  return { count: Number(result.numUpdatedRows), keys: [] };
}

/** A TS batch read and computed, to be written: its rows' keys and the values for the transformed columns. */
export interface ReadBatch {
  keys: KeyTuple[];
  values: unknown[][];
  /** Each row's version as read (`rowVersion`): the write skips the rows changed since. */
  versions?: string[];
}

/** TS transforms: read the batch (locked where possible), compute in JS, write it back in one statement. */
export async function transformBatch(input: BatchInput): Promise<BatchResult> {
  return writeTransformBatch(input, await readTransformBatch(input.trx, input, { lock: true }));
}

/**
 * The read half of a TS batch on `executor`: the next `size` rows after the checkpoint, locked for update
 * when `lock` (inside the batch's transaction) and the dialect can, and their new values computed.
 * Unlocked, before the transaction: the application may change a row between this read and the write, and
 * only a change log that recomputes what it logs (`readsBeforeBatch`) or a write checked by the rows'
 * versions (`version`, see `readsVersioned`) makes that safe.
 */
export async function readTransformBatch(
  executor: Kysely<any>,
  input: Omit<BatchInput, 'trx'>,
  options: { lock: boolean; version?: boolean },
): Promise<ReadBatch> {
  const { ctx, plan, progress, rowValues, transforms } = input;
  const after = progress.checkpoint;
  const columns = [...new Set([...plan.key, ...Object.values(plan.read)])];
  const version = options.version === true ? ctx.caps.rowVersion : undefined;
  const rows = await executor
    .selectFrom(plan.table)
    .select(columns.map((c) => sql.id(c).as(c)))
    .$if(version !== undefined, (q) => q.select(sql<string>`${version}`.as(VERSION)))
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .orderBy(keyOrder(plan.key))
    .limit(input.size)
    .$if(options.lock && ctx.caps.supportsForUpdate, (q) => q.forUpdate())
    .execute();
  const keys = rows.map((row) => plan.key.map((k) => row[k]));
  const reads = Object.entries(plan.read);
  // thousands of rows per batch, computed between the batch's read and its write: no allocation per row
  // beyond the transforms' input and the written row
  const values = rows.map((row, i) => {
    const key = keys[i] as unknown[];
    const old: Record<string, unknown> = {};
    for (const [field, column] of reads) old[field] = row[column];
    const written = key.slice();
    for (const transform of transforms) written.push(applyTransform(transform, old, plan, key));
    return written;
  });
  return version ? { keys, values, versions: rows.map((row) => String(row[VERSION])) } : { keys, values };
}

/** The alias of a row's version in a versioned read. */
const VERSION = 'evolve_row_version';

/**
 * Whether a TS batch may read unlocked before its transaction and write checked by row versions: a
 * backfill without change log (its rows locked in the batch otherwise) on a dialect with `rowVersion`.
 */
export function readsVersioned(plan: BackfillPlan, caps: { rowVersion?: unknown }): boolean {
  return plan.changeLog === undefined && caps.rowVersion !== undefined;
}

/** Whether a TS batch may read before its transaction: a change log that recomputes what it logs (not in place). */
export function readsBeforeBatch(plan: BackfillPlan): boolean {
  return plan.changeLog !== undefined && plan.changeLog.inPlace === undefined;
}

/**
 * The statement writing a TS batch's computed values, built before its transaction where the batch was
 * read before it (building the rows' JSON then costs no lock time).
 */
export function transformWrite(
  input: Pick<BatchInput, 'ctx' | 'plan' | 'transforms' | 'types'>,
  read: ReadBatch,
): RawBuilder<unknown> | undefined {
  const { ctx, plan, transforms } = input;
  const { keys, values, versions } = read;
  const end = keys.at(-1);
  if (!end) return undefined;
  return ctx.caps.writeBatch({
    table: plan.table,
    key: plan.key,
    columns: transforms.map((t) => t.column),
    onlyNull: new Set(plan.onlyNull ?? []),
    rows: values,
    // read in key order: the first and last keys bound the range the write scans
    range: { first: keys[0] as KeyTuple, last: end },
    ...(versions ? { versions } : {}),
    ...(input.types ? { types: input.types } : {}),
  });
}

/** The write half of a TS batch (in its transaction): one statement for the computed values, then the constants. */
export async function writeTransformBatch(
  input: BatchInput,
  read: ReadBatch,
  statement: RawBuilder<unknown> | undefined = transformWrite(input, read),
): Promise<BatchResult> {
  const { trx, plan, rowValues } = input;
  const { keys, versions } = read;
  const end = keys.at(-1);
  if (!end || !statement) return { rows: 0, checkpoint: undefined, done: true };
  const written = await statement.execute(trx);
  if (versions && Number(written.numAffectedRows ?? -1) !== keys.length) {
    throw new RowsChangedSinceRead(Number(written.numAffectedRows ?? 0), keys.length);
  }
  if (Object.keys(input.setBased).length > 0) {
    // the rows read, not the range: a row inserted into it since is the change log's to carry
    await trx
      .updateTable(plan.table)
      .set(input.setBased)
      .where(keyIn(plan.key, keys, rowValues.rowValues))
      .execute();
  }
  return { rows: keys.length, checkpoint: end, done: keys.length < input.size, keys };
}

export function applyTransform(
  transform: BatchTransform,
  old: Record<string, unknown>,
  plan: BackfillPlan,
  key: unknown[],
): unknown {
  let value: unknown;
  try {
    value = transform.fn(old);
  } catch (error) {
    if (isEvolveError(error, 'TODO_TRANSFORM')) throw error;
    throw new EvolveError(
      'TRANSFORM_FAILED',
      `transform ${transform.path} failed on ${plan.table} row ${keyText(key)}: ${(error as Error)?.message ?? String(error)}`,
      { path: transform.path, cause: error, details: { table: plan.table, key } },
    );
  }
  const problem = checkValue(value, transform.field);
  if (problem) {
    throw new EvolveError(
      'TRANSFORM_FAILED',
      `transform ${transform.path} returned a value that does not fit the field on ${plan.table} row ${keyText(key)}: ${problem}`,
      { path: transform.path, details: { table: plan.table, key, problem } },
    );
  }
  return value === undefined ? null : value;
}

/** A row's key for messages: the value of a one-column key, else the tuple, as JSON. */
function keyText(key: readonly unknown[]): string {
  return jsonText(key.length === 1 ? key[0] : key);
}

/** `a, b` for `order by`: ascending keyset order. */
export function keyOrder(key: readonly string[]) {
  return sql`${sql.join(key.map((k) => sql.id(k)))}`;
}

/**
 * An in-place change log logs the batch's own writes too: deletes their entries, in the batch's transaction.
 * Where the batch knows the keys it wrote (`keys`: TS transforms, and set-based writes where the dialect
 * returns them) exactly those; a row the application inserted into the range meanwhile keeps its entry and
 * is transformed by the drain. Otherwise (no `supportsUpdateReturning`: next-key locks keep inserts out of the range while
 * the batch runs) the entries of the batch's key range (after `after`, up to and including `end`). A write
 * of the application before the batch reached its row was read by the batch and transformed once; a write
 * after the batch's commit is logged afresh and drained later.
 */
export async function clearBatchLog(
  trx: Kysely<any>,
  plan: BackfillPlan,
  after: KeyTuple | undefined,
  end: KeyTuple | undefined,
  rowValues: { rowValues: boolean },
  keys?: readonly KeyTuple[],
): Promise<void> {
  const log = plan.changeLog;
  if (!log?.inPlace) return;
  if (keys) {
    if (keys.length > 0)
      await trx
        .deleteFrom(log.table)
        .where(keyIn(plan.key, keys, rowValues.rowValues))
        .execute();
    return;
  }
  if (!end) return;
  await trx
    .deleteFrom(log.table)
    .$if(after !== undefined, (q) => q.where(keyAfter(plan.key, after!, rowValues)))
    .where(keyAtMost(plan.key, end, rowValues))
    .execute();
}
