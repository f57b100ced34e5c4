/** Thrown when a condition is still false at its deadline. */
export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT';
}

export interface WaitOptions {
  /** How long to keep trying. Default 5000 ms. */
  timeoutMs?: number;
  /** Pause between attempts. Default 25 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `condition` holds, checking it right away and then every `intervalMs`, and fails with
 * WAIT_TIMEOUT (naming `what` and the last value seen) once `timeoutMs` has passed. Returns the value that
 * satisfied it. Tests wait for the condition they need instead of sleeping a guessed time.
 *
 * @example
 * await waitFor(async () => (await sessions()) === 0, { what: 'sessions closed' });
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await condition();
    if (last) return last as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(
        `${options.what ?? 'condition'} still not met after ${timeoutMs} ms (last: ${JSON.stringify(last)})`,
      );
    }
    await pause(options.intervalMs ?? 25);
  }
}

/**
 * Reads a value until it stops changing: `samples` equal readings in a row, `intervalMs` apart, within
 * `timeoutMs` (else WAIT_TIMEOUT). For counts that settle after the fact, such as server sessions closing
 * after a pool is destroyed: assert on the settled value, not on a reading taken after a guessed sleep.
 *
 * @example
 * expect(await waitForStable(() => sessionCount(), { what: 'sessions' })).toBe(baseline);
 */
export async function waitForStable<T>(
  read: () => T | Promise<T>,
  options: WaitOptions & { samples?: number } = {},
): Promise<T> {
  const samples = options.samples ?? 3;
  const readings: T[] = [];
  await waitFor(
    async () => {
      readings.push(await read());
      const tail = readings.slice(-samples);
      return tail.length === samples && tail.every((v) => Object.is(v, tail[0]));
    },
    { ...options, intervalMs: options.intervalMs ?? 50, what: `${options.what ?? 'value'} to settle` },
  );
  return readings.at(-1) as T;
}
