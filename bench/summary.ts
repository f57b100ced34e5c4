/**
 * Prints a benchmark's one-line summary, `<bench>: <figure> vs goal <goal>: met|not met`, so that
 * `pnpm bench` ends each benchmark with a line that can be read (or grepped) on its own.
 *
 * @example
 * summary({ bench: 'core-diff', figure: '0.041 of toSnapshot', goal: '<= 0.03', met: 0.041 <= 0.03 });
 */
export function summary(options: { bench: string; figure: string; goal: string; met: boolean }): void {
  console.log(
    `${options.bench}: ${options.figure} vs goal ${options.goal}: ${options.met ? 'met' : 'not met'}`,
  );
}
