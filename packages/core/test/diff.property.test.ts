import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, diff, isEvolveError, makeSnapshot, reverse } from '../src/index.ts';
import { Rng, randomModels, randomPair } from './random-schemas.ts';

const RUNS = { numRuns: Number(process.env.EVOLVE_PROPERTY_RUNS ?? 300) };
const seed = fc.noBias(fc.integer());

describe('diff properties', () => {
  it('diff(a, a) is empty for random schemas', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const a = makeSnapshot(randomModels(new Rng(s)));
        expect(diff(a, a).changes).toEqual([]);
      }),
      RUNS,
    );
  });

  it('applyChanges(a, diff(a, b)) has the hash of b, and the reverse leads back to a', () => {
    let checked = 0;
    fc.assert(
      fc.property(seed, (s) => {
        const { a, b, options, ambiguous } = randomPair(new Rng(s));
        if (ambiguous) return;
        const changes = diff(a, b, options);
        expect(applyChanges(a, changes).hash).toBe(b.hash);
        expect(applyChanges(b, reverse(changes)).hash).toBe(a.hash);
        checked++;
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(200);
  });

  it('throws AMBIGUOUS_RENAME exactly when a scope has an unanswered vanished name and a new one', () => {
    let ambiguous = 0;
    fc.assert(
      fc.property(seed, (s) => {
        const pair = randomPair(new Rng(s));
        let error: unknown;
        try {
          diff(pair.a, pair.b, pair.options);
        } catch (e) {
          error = e;
        }
        if (pair.ambiguous) {
          ambiguous++;
          expect(isEvolveError(error, 'AMBIGUOUS_RENAME')).toBe(true);
        } else {
          expect(error).toBeUndefined();
        }
      }),
      RUNS,
    );
    expect(ambiguous).toBeGreaterThan(5);
  });
});
