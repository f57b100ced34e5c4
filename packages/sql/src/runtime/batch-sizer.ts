/** How many recent batches the sizer remembers: one slow batch keeps the next ones short this long. */
const WINDOW = 8;
const MIN_ROWS = 100;
const MAX_ROWS = 50_000;

/** The size of the next backfill batch, from the durations of the batches so far. */
export interface BatchSizer {
  /** Rows in the next batch. */
  readonly size: number;
  /** Records a batch of `rows` rows whose transaction lasted `ms`; returns the next size. */
  record(rows: number, ms: number): number;
}

/**
 * Adaptive batching aims at the longest batch, not the average (the row locks a batch holds are what the
 * application waits on, and a loaded machine makes some batches much slower than others): it keeps the
 * cost per row of the last few batches and sizes the next one so that the costliest of them would last
 * `targetMs`. A batch over the target shrinks the next in proportion, down to a quarter; a faster one grows
 * it by at most half, so it creeps back up once the slow batches leave the window. Within 100 and 50 000
 * rows. Without `targetMs` (a batch size the caller chose) the size stays fixed.
 *
 * @example
 * const sizer = createBatchSizer({ size: 1000, targetMs: 40 });
 * sizer.record(1000, 80); // 500
 */
export function createBatchSizer(options: { size: number; targetMs: number | undefined }): BatchSizer {
  const { targetMs } = options;
  const costs: number[] = [];
  let size = options.size;
  return {
    get size() {
      return size;
    },
    record(rows, ms) {
      if (!targetMs || rows <= 0) return size;
      costs.push(Math.max(ms, 1) / rows);
      if (costs.length > WINDOW) costs.shift();
      const longest = Math.max(...costs) * size;
      size = nextBatchSize(size, longest, targetMs);
      return size;
    },
  };
}

/**
 * One step of the adaptation: the next size for a batch of `size` rows that took (or would take) `tookMs`:
 * in proportion to `targetMs / tookMs`, by at most a quarter down and half up, within 100 and 50 000 rows.
 */
export function nextBatchSize(size: number, tookMs: number, targetMs: number): number {
  const factor = Math.min(1.5, Math.max(0.25, targetMs / Math.max(tookMs, 1)));
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.round(size * factor)));
}
