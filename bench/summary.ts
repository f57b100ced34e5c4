import { appendFileSync } from 'node:fs';

/** One figure of a benchmark beside its goal. */
type GoalCheck = { figure: string; goal: string; met: boolean };

/** A figure beside its goal, or a figure reported beside the others without one. */
export type SummaryCheck = GoalCheck | { figure: string; reported: true };

/** The environment variable naming the file each benchmark appends its summary line to (see run-all.ts). */
export const SUMMARY_FILE_ENV = 'EVOLVE_BENCH_SUMMARY';

/**
 * Prints a benchmark's one-line summary, `<bench>: <figure> vs goal <goal>: met|not met` (with several
 * checks: `<bench>: met|not met: <figure> vs goal <goal> (met); <figure> (reported); ...`, a reported figure
 * counting for neither), so that each benchmark ends with a
 * line that can be read (or grepped) on its own. When `EVOLVE_BENCH_SUMMARY` names a file, the line is
 * appended to it too: `pnpm bench` (bench/run-all.ts) prints them all together at the end.
 *
 * @example
 * summary({ bench: 'core-diff', figure: '0.041 of toSnapshot', goal: '<= 0.03', met: 0.041 <= 0.03 });
 * summary({ bench: 'sql-backfill', checks: [{ figure: 'TS 0.62x', goal: '>= 0.5x', met: true }] });
 */
export function summary(
  options: { bench: string } & (GoalCheck | { checks: readonly SummaryCheck[] }),
): void {
  const line =
    'checks' in options
      ? `${options.bench}: ${options.checks.every((c) => 'reported' in c || c.met) ? 'met' : 'not met'}: ${options.checks
          .map((c) =>
            'reported' in c
              ? `${c.figure} (reported)`
              : `${c.figure} vs goal ${c.goal} (${c.met ? 'met' : 'not met'})`,
          )
          .join('; ')}`
      : `${options.bench}: ${options.figure} vs goal ${options.goal}: ${options.met ? 'met' : 'not met'}`;
  console.log(line);
  const file = process.env[SUMMARY_FILE_ENV];
  if (file) appendFileSync(file, `${line}\n`);
}
