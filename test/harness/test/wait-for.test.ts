import { describe, expect, it } from 'vitest';
import { waitFor, waitForStable } from '../src/index.ts';

describe('waitFor', () => {
  it('returns as soon as the condition holds, with the value that satisfied it', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('fails with WAIT_TIMEOUT naming what it waited for and the last value once the deadline passes', async () => {
    const started = Date.now();
    await expect(
      waitFor(() => 0, { timeoutMs: 60, intervalMs: 5, what: 'sessions gone' }),
    ).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
      message: 'sessions gone still not met after 60 ms (last: 0)',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });
});

describe('waitForStable', () => {
  it('returns a count once it stops changing, not a value it only passes through', async () => {
    // 5 sessions closing one per reading, passing through 3 (the baseline a sleep-then-read might catch)
    const readings = [5, 4, 3, 2, 2, 2, 2];
    let i = 0;
    const settled = await waitForStable(() => readings[Math.min(i++, readings.length - 1)], {
      intervalMs: 1,
    });
    expect(settled).toBe(2);
  });

  it('fails with WAIT_TIMEOUT when the value keeps changing', async () => {
    let n = 0;
    await expect(waitForStable(() => n++, { timeoutMs: 50, intervalMs: 5 })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    });
  });
});
