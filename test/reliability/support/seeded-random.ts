/** A small, fast, seeded PRNG (mulberry32) for reproducible chaos tests. */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A copy of `items` in random order. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this one and a label (stable for a given seed and label). */
  fork(label: string): SeededRandom;
}

function hashLabel(seed: number, label: string): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/**
 * A seeded generator. Equal seeds give equal sequences.
 *
 * @example
 * const rnd = seededRandom(42);
 * rnd.int(1, 6); // always the same for seed 42
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
    fork: (label) => seededRandom(hashLabel(seed, label)),
  };
}

/**
 * The run's seed: `EVOLVE_SEED` when set (to reproduce a failure), else a fresh one. Printed either way,
 * so a failing CI log says how to rerun it.
 *
 * @example
 * const rnd = seededRandom(runSeed('crash'));   // prints "[crash] seed 123456 (rerun with EVOLVE_SEED=123456)"
 */
export function runSeed(label: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.EVOLVE_SEED?.trim();
  const seed =
    fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 31) >>> 0;
  console.log(`[${label}] seed ${seed} (rerun with EVOLVE_SEED=${seed})`);
  return seed;
}
