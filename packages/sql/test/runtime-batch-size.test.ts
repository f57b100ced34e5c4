import { describe, expect, it } from 'vitest';
import { nextBatchSize } from '../src/runtime/run-backfill.ts';

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
});
