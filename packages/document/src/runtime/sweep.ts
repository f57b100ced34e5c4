import { EvolveError, type Row } from '@evolve/core';
import type { Collection } from 'mongodb';
import type { Upgrader } from '../upgrader-types.ts';
import type { CheckpointStore, DocumentStore, SweepCheckpoint } from './document-store.ts';
import { outdatedFilter } from './outdated-filter.ts';
import { DEFAULT_REVISION_FIELD } from './revision.ts';
import { batchTally, type PreparedBatch, sleep, sweepBatches } from './sweep-batches.ts';
import { toDocumentStore } from './to-document-store.ts';

/** A document the sweep could not upgrade; it is left unchanged. */
export interface SweepFailure {
  id: unknown;
  version: number;
  code: string;
  path?: string;
  message: string;
}

export interface SweepCounts {
  /** Documents read (those not at the latest version). */
  scanned: number;
  /** Documents this sweep upgraded and wrote. */
  upgraded: number;
  /** Documents read that needed nothing (already upgraded by someone else, or newer). */
  skipped: number;
  /** Compare-and-set writes lost to a concurrent writer (each retried). */
  conflicts: number;
  /** Documents that failed to upgrade (see `failures`). */
  failed: number;
}

export interface SweepProgress extends SweepCounts {
  /** The last `_id` finished. */
  lastId: unknown;
  /** Documents not at the latest version when the sweep started (this run). */
  total: number;
}

export interface SweepResult extends SweepCounts {
  failures: SweepFailure[];
  /** True when the sweep stopped on `signal` before finishing (its checkpoint is kept). */
  aborted: boolean;
  /** True when it continued from a saved checkpoint. */
  resumed: boolean;
}

export interface SweepOptions {
  /**
   * Documents per batch (default 2000). Each batch is one compare-and-set write, a few tens of milliseconds
   * for 2000 documents on a SQL JSON store; larger batches mean fewer round trips and commits
   * (bench/document-runtime.bench.ts compares 500, 2000 and 5000).
   */
  batchSize?: number;
  /**
   * Batches being written at once (default 2): on a store with a connection pool each
   * write runs on its own connection, so one batch's commit overlaps the next one's write; on a store with
   * a single connection they queue. Batches cover disjoint key ranges, and
   * checkpoints still advance in key order. 1 writes one batch at a time.
   */
  writesInFlight?: number;
  /** Maximum documents per second (default unlimited). */
  rate?: number;
  onProgress?: (progress: SweepProgress) => void;
  /** Where to save the position (default: the store's `evolve_sweeps`); `false` disables resuming. */
  checkpoint?: CheckpointStore | false;
  /** Checkpoint key (default `<collection>:<model>@<latest version>`). */
  key?: string;
  /**
   * Stops the sweep once the batches already being written (up to `writesInFlight`) are written; the
   * checkpoint is kept so a later sweep resumes after them.
   */
  signal?: AbortSignal;
  /** Revision field bumped by every write (default `_rev`). */
  revisionField?: string;
  /** Attempts per document when concurrent writers keep winning (default 5). */
  maxAttempts?: number;
  /**
   * How long to keep retrying a document another writer holds without changing it (a write claim, see
   * `createWriteClaims`, possibly of a writer that died) before reporting it as failed. Default 60 000.
   */
  busyTimeoutMs?: number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new EvolveError('INVALID_CONFIG', `${name} must be a positive integer, got ${value}`, {
      path: name,
    });
  }
  return value;
}

/** Documents per sweep batch when `batchSize` is not given. */
const DEFAULT_SWEEP_BATCH_SIZE = 2000;

/**
 * Upgrades stored documents eagerly, in `_id` order with keyset pagination, batch by batch (while up to
 * `writesInFlight` batches are written, the next is upgraded and the one after it read): each batch is written with compare-and-set (version
 * and revision, one bulk write where the store has one), so it is safe while the application writes;
 * a lost race re-reads the document and tries again. The position is checkpointed after every batch
 * (in `evolve_sweeps`), so a killed sweep resumes where it stopped; running it again is harmless.
 * A document that fails to upgrade is reported and left unchanged.
 *
 * @example
 * const result = await sweep(client.db('app').collection('users'), upgrader, { batchSize: 500, rate: 2000, onProgress: console.log });
 * // { scanned, upgraded, skipped, conflicts, failed, failures, aborted: false, resumed: false }
 */
export async function sweep(
  collection: Collection<any> | DocumentStore,
  upgrader: Upgrader<any>,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const store = toDocumentStore(collection);
  const batchSize = positiveInteger(options.batchSize ?? DEFAULT_SWEEP_BATCH_SIZE, 'batchSize');
  const writesInFlight = positiveInteger(options.writesInFlight ?? 2, 'writesInFlight');
  const rf = options.revisionField ?? DEFAULT_REVISION_FIELD;
  const maxAttempts = options.maxAttempts ?? 5;
  const busyTimeoutMs = options.busyTimeoutMs ?? 60_000;
  const checkpoints = options.checkpoint === false ? undefined : (options.checkpoint ?? store.checkpoints);
  const key = options.key ?? `${store.name}:${upgrader.model}@${upgrader.latestVersion}`;
  const filter = outdatedFilter(upgrader);

  const saved = await checkpoints?.load(key);
  let after = saved?.after;
  const counts: SweepCounts = { scanned: 0, upgraded: 0, skipped: 0, conflicts: 0, failed: 0 };
  const failures: SweepFailure[] = [];
  // counted while the first batch is read and upgraded (the total is only reported with progress)
  const counting = store.count(after === undefined ? filter : { $and: [filter, { _id: { $gt: after } }] });
  counting.catch(() => {}); // awaited with the first progress report, or below
  const started = Date.now();

  const { prepare, account, writeBatch } = sweepBatches({
    store,
    upgrader,
    rf,
    maxAttempts,
    busyTimeoutMs,
    signal: options.signal,
  });

  const readBatch = async (from: unknown): Promise<Row[]> => {
    const batch: Row[] = [];
    for await (const doc of store.find(filter, { sort: { _id: 1 }, limit: batchSize, after: from }))
      batch.push(doc);
    return batch;
  };

  // Checkpoints are saved one after another, each once its batch is written, while the next batch is
  // written: a later save never lands before an earlier one.
  let saving: Promise<void> = Promise.resolve();

  /**
   * Writes a prepared batch; once it and every earlier batch (`earlier`) are written, queues its
   * checkpoint and reports progress.
   */
  const commit = async (prepared: PreparedBatch, last: unknown, earlier: Promise<void> | undefined) => {
    const tally = batchTally(prepared.raws.length);
    account(prepared, tally);
    await writeBatch(prepared, tally);
    await earlier;
    for (const field of Object.keys(counts) as (keyof SweepCounts)[]) counts[field] += tally.counts[field];
    failures.push(...tally.failures);
    after = last;
    const checkpoint: SweepCheckpoint = {
      after,
      scanned: (saved?.scanned ?? 0) + counts.scanned,
      upgraded: (saved?.upgraded ?? 0) + counts.upgraded,
      updatedAt: new Date().toISOString(),
    };
    if (checkpoints) {
      saving = saving.then(() => checkpoints.save(key, checkpoint));
      saving.catch(() => {}); // awaited before the sweep returns
    }
    if (options.onProgress) options.onProgress({ ...counts, lastId: after, total: await counting });
  };

  // A pipeline over disjoint keyset pages: while up to `writesInFlight` batches are written (each on its
  // own connection where the store has a pool), the next is upgraded in JS and the one after it read. A
  // checkpoint is saved only after its batch and every earlier one are written, so a killed sweep resumes
  // after the last batch it finished, never past one still being written.
  let next = options.signal?.aborted ? undefined : readBatch(after);
  const inFlight: Promise<void>[] = [];
  let dispatched = 0;
  try {
    while (next) {
      const batch = await next;
      if (batch.length === 0) break;
      const last = batch[batch.length - 1]!._id;
      next = readBatch(last);
      next.catch(() => {}); // left unread when the sweep stops
      const prepared = prepare(batch);
      while (inFlight.length >= writesInFlight) await inFlight.shift();
      // the rate limit counts documents as they are sent: a batch waits until the rate allows all of
      // it, so batches in flight never run ahead of it
      if (options.rate) {
        const due = ((dispatched + batch.length) / options.rate) * 1000;
        await sleep(due - (Date.now() - started), options.signal);
      }
      if (options.signal?.aborted) break;
      dispatched += batch.length;
      const writing = commit(prepared, last, inFlight.at(-1));
      writing.catch(() => {}); // awaited above on a later turn, or below
      inFlight.push(writing);
    }
    while (inFlight.length > 0) await inFlight.shift();
    await saving;
    await counting;
  } catch (error) {
    // nothing of this sweep is left running when it fails (a read failing while a batch is written)
    await Promise.allSettled(inFlight);
    await saving.catch(() => {});
    throw error;
  } finally {
    // the page read ahead when the sweep stopped, and the count, are not left running
    await next?.catch(() => {});
    await counting.catch(() => {});
  }

  const aborted = options.signal?.aborted === true;
  if (!aborted) await checkpoints?.clear(key);
  return { ...counts, failures, aborted, resumed: saved !== undefined };
}
