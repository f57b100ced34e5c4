/** The p50, p99 and max of a list of durations (nearest rank), for printing. */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; max: number } {
  if (samples.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) as number };
}
