import { describe, expect, it } from 'vitest';
import { createBatchSizer, nextBatchSize } from '../src/runtime/batch-sizer.ts';

describe('adaptive backfill batch size', () => {
  it('shrinks in proportion to an overshoot (down to a quarter) and grows by at most half', () => {
    expect(nextBatchSize(1000, 10, 40)).toBe(1500);
    expect(nextBatchSize(1000, 30, 40)).toBe(1333);
    expect(nextBatchSize(1000, 80, 40)).toBe(500);
    expect(nextBatchSize(1000, 120, 40)).toBe(333);
    expect(nextBatchSize(1000, 1000, 40)).toBe(250);
  });

  it('stays between 100 and 50 000 rows', () => {
    expect(nextBatchSize(120, 1000, 40)).toBe(100);
    expect(nextBatchSize(40_000, 1, 40)).toBe(50_000);
    expect(nextBatchSize(1000, 1, 40)).toBe(1500);
  });

  it('aims at the longest recent batch: one slow batch keeps the following ones short until it leaves the window', () => {
    const sizer = createBatchSizer({ size: 1000, targetMs: 40 });
    expect(sizer.record(1000, 40)).toBe(1000);
    // a batch at 4x the cost per row (a loaded machine): the next is a quarter
    expect(sizer.record(1000, 160)).toBe(250);
    // fast batches after it do not grow the size while the slow one is remembered (the average would)
    const sizes = Array.from({ length: 7 }, () => sizer.record(sizer.size, sizer.size * 0.04));
    expect(sizes).toEqual([250, 250, 250, 250, 250, 250, 250]);
    // then it creeps back up, by at most half per batch
    expect(sizer.record(250, 10)).toBe(375);
    expect(sizer.record(375, 15)).toBe(563);
  });

  it('keeps a batch size the caller chose', () => {
    const sizer = createBatchSizer({ size: 500, targetMs: undefined });
    expect(sizer.record(500, 1000)).toBe(500);
    expect(sizer.size).toBe(500);
  });
});
