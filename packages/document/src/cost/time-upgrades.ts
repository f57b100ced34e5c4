import { isEvolveError, type Row } from '@evolve/core';
import type { Upgrader } from '../upgrader-types.ts';

/** Upgrades run untimed before the timing, for at most WARM_UP_MS. */
const WARM_UP_CALLS = 10_000;
const WARM_UP_MS = 1000;

/** How long `upgrade` takes on a set of documents. */
export interface UpgradeTiming {
  /** Mean microseconds per document, over the documents that upgraded (undefined when none did). */
  micros: number | undefined;
  /** Documents timed (those that upgraded). */
  timed: number;
  /** Documents that failed to upgrade, by error code (`TODO_TRANSFORM`, `VALIDATION_FAILED`, ...). */
  failed: Record<string, number>;
}

/**
 * Times `upgrader.upgrade` on `docs` as a running application pays it: a first pass leaves out the
 * documents that throw, untimed passes then warm the chains up (the first upgrades in a process run 10-50x
 * slower, until V8 has optimized the chain and the validation it shares: about 7500 calls in one test), then timed
 * passes run until `budgetMs` has passed and at least three ran. The figure is the median pass's mean per
 * document, so one pass slowed by a garbage collection or a busy machine does not move it.
 *
 * @example
 * const { micros } = timeUpgrades(upgrader, [{ _id: 'a', name: 'Ada', _v: 1 }], { budgetMs: 20 });
 */
export function timeUpgrades(
  upgrader: Pick<Upgrader, 'upgrade'>,
  docs: readonly Row[],
  options: { budgetMs: number },
): UpgradeTiming {
  const ok: Row[] = [];
  const failed: Record<string, number> = {};
  for (const doc of docs) {
    try {
      upgrader.upgrade(doc);
      ok.push(doc);
    } catch (error) {
      const code = isEvolveError(error) ? error.code : 'ERROR';
      failed[code] = (failed[code] ?? 0) + 1;
    }
  }
  if (ok.length === 0) return { micros: undefined, timed: 0, failed };
  const warming = performance.now();
  for (let calls = ok.length; calls < WARM_UP_CALLS && performance.now() - warming < WARM_UP_MS; ) {
    for (const doc of ok) upgrader.upgrade(doc);
    calls += ok.length;
  }
  const passes: number[] = [];
  const started = performance.now();
  while (passes.length < 3 || performance.now() - started < options.budgetMs) {
    const t0 = performance.now();
    for (const doc of ok) upgrader.upgrade(doc);
    passes.push(((performance.now() - t0) * 1000) / ok.length);
  }
  passes.sort((a, b) => a - b);
  return { micros: passes[passes.length >> 1] as number, timed: ok.length, failed };
}
