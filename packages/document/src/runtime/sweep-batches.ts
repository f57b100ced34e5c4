import { isEvolveError, type Row } from '@evolve/core';
import type { Upgrader } from '../upgrader-types.ts';
import { valuesEqual } from './compare-values.ts';
import type { CasWrite, DocumentStore } from './document-store.ts';
import { expectationOf, nextRevision } from './revision.ts';
import type { SweepCounts, SweepFailure } from './sweep.ts';

/** One batch's first write attempt, computed before it is written (while the previous batch writes). */
export interface PreparedBatch {
  raws: Row[];
  writes: CasWrite[];
  skipped: number;
  failures: SweepFailure[];
}

/** Waits `ms` (nothing when not positive), or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function failureOf(doc: Row, upgrader: Upgrader<any>, error: unknown): SweepFailure {
  const failure: SweepFailure = {
    id: doc._id,
    version: upgrader.versionOf(doc),
    code: isEvolveError(error) ? error.code : 'TRANSFORM_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
  if (isEvolveError(error) && error.path !== undefined) failure.path = error.path;
  return failure;
}

/** What one batch did: its counts and failures, added to the sweep's once the batch is written. */
export interface BatchTally {
  counts: SweepCounts;
  failures: SweepFailure[];
}

/** An empty tally for a batch of `scanned` documents. */
export function batchTally(scanned: number): BatchTally {
  return { counts: { scanned, upgraded: 0, skipped: 0, conflicts: 0, failed: 0 }, failures: [] };
}

/**
 * The batch work of one sweep: `prepare` upgrades a batch into compare-and-set writes, `account` adds a
 * prepared batch's skips and failures to its tally, `writeBatch` writes it (retrying lost races), counting
 * into the batch's own tally so that batches written at the same time never mix their figures.
 *
 * @example
 * const batches = sweepBatches({ store, upgrader, rf: '_rev', maxAttempts: 5, busyTimeoutMs: 60_000 });
 * const prepared = batches.prepare([doc]);
 * const tally = batchTally(1);
 * batches.account(prepared, tally);
 * await batches.writeBatch(prepared, tally);
 */
export function sweepBatches(options: {
  store: DocumentStore;
  upgrader: Upgrader<any>;
  rf: string;
  maxAttempts: number;
  busyTimeoutMs: number;
  signal?: AbortSignal | undefined;
}): {
  prepare(raws: Row[]): PreparedBatch;
  account(prepared: PreparedBatch, tally: BatchTally): void;
  writeBatch(first: PreparedBatch, tally: BatchTally): Promise<void>;
} {
  const { store, upgrader, rf, maxAttempts, busyTimeoutMs } = options;
  const vf = upgrader.versionField;
  const prepare = (raws: Row[]): PreparedBatch => {
    const prepared: PreparedBatch = { raws, writes: [], skipped: 0, failures: [] };
    for (const raw of raws) {
      if (!upgrader.needsUpgrade(raw)) {
        prepared.skipped++;
        continue;
      }
      try {
        // an outdated document upgrades to a fresh object, the sweep's own: stamped in place (a copy with
        // members added to it is many times slower in V8)
        const doc = upgrader.upgrade(raw) as Row;
        doc._id = raw._id;
        doc[rf] = nextRevision(raw, rf);
        prepared.writes.push({ id: raw._id, expect: expectationOf(raw, vf, rf), doc });
      } catch (error) {
        prepared.failures.push(failureOf(raw, upgrader, error));
      }
    }
    return prepared;
  };

  const account = (prepared: PreparedBatch, { counts, failures }: BatchTally) => {
    counts.skipped += prepared.skipped;
    counts.failed += prepared.failures.length;
    failures.push(...prepared.failures);
  };

  /**
   * Writes a batch with compare-and-set; documents whose write lost are re-read and retried (at most
   * `maxAttempts` times when another writer changed them). A document that lost but reads back unchanged
   * is busy (a writer claimed it, or died holding its claim: see `createWriteClaims`): it is retried
   * with backoff until `busyTimeoutMs`, then reported as failed, never silently passed.
   */
  const writeBatch = async (first: PreparedBatch, tally: BatchTally) => {
    const { counts, failures } = tally;
    let writes = first.writes;
    let attempt = 0;
    let delay = 5;
    const deadline = Date.now() + busyTimeoutMs;
    while (writes.length > 0) {
      const won = await store.compareAndSet(writes);
      const lost = new Map<unknown, CasWrite>();
      won.forEach((ok, i) => {
        if (ok) counts.upgraded++;
        else lost.set(writes[i]!.id, writes[i]!);
      });
      counts.conflicts += lost.size;
      const changed: Row[] = [];
      const busy: Row[] = [];
      // the documents that lost, as they are now, in one read
      if (lost.size > 0) {
        for await (const fresh of store.find({ _id: { $in: [...lost.keys()] } })) {
          const write = [...lost.values()].find((w) => valuesEqual(w.id, fresh._id));
          const same = write && Object.entries(write.expect).every(([f, v]) => valuesEqual(fresh[f], v));
          (same ? busy : changed).push(fresh);
        }
      }
      if (changed.length > 0) attempt++;
      if (attempt >= maxAttempts) {
        // concurrent writers kept winning: reported, never silently passed over
        for (const raw of changed) {
          if (!upgrader.needsUpgrade(raw)) {
            counts.skipped++; // another writer upgraded it meanwhile
            continue;
          }
          counts.failed++;
          failures.push({
            id: raw._id,
            version: upgrader.versionOf(raw),
            code: 'WRITE_CONFLICT',
            message: `concurrent writers changed it during ${maxAttempts} attempts (run the sweep again)`,
          });
        }
      }
      const pending = [...(attempt < maxAttempts ? changed : []), ...busy];
      if (busy.length > 0 && changed.length === 0) {
        // stopped (the signal): no more waiting for the writer, reported like a timeout
        const stopped = options.signal?.aborted === true;
        if (stopped || Date.now() >= deadline) {
          for (const raw of busy) {
            counts.failed++;
            failures.push({
              id: raw._id,
              version: upgrader.versionOf(raw),
              code: 'WRITE_CONFLICT',
              message: stopped
                ? 'another writer held it when the sweep was stopped (run the sweep again)'
                : `another writer held it for over ${busyTimeoutMs} ms (run the sweep again)`,
            });
          }
          return;
        }
        await sleep(delay, options.signal);
        delay = Math.min(delay * 2, 500);
      }
      const again = prepare(pending);
      account(again, tally);
      writes = again.writes;
    }
  };

  return { prepare, account, writeBatch };
}
