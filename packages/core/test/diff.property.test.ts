import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual } from '../src/deep-equal.ts';
import { fieldEqual, fieldsEqual } from '../src/field-equal.ts';
import {
  applyChanges,
  checkCompatibility,
  deriveTransforms,
  diff,
  isEvolveError,
  lint,
  makeSnapshot,
  renderTransforms,
  reverse,
} from '../src/index.ts';
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
        // the consumers of a change set take any valid one
        lint(changes);
        renderTransforms(deriveTransforms(changes));
        expect(checkCompatibility([a, b], 'FULL', options).compatible).toBe(
          changes.changes.every((c) => c.compatibility.backward && c.compatibility.forward),
        );
        checked++;
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(200);
  });

  it('throws AMBIGUOUS_RENAME exactly when a scope has an unanswered vanished name and a new one it could be renamed to (a type-compatible pair)', () => {
    let ambiguous = 0;
    const check = (s: number) => {
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
    };
    fc.assert(fc.property(seed, check), RUNS);
    // About one random pair in twenty is ambiguous, so a run of 300 sees 6 to 27 of them and, rarely, fewer.
    // Walk further seeds (in order, so a failure reproduces) until the refusing side was exercised 20 times.
    for (let s = 1; ambiguous < 20 && s <= 5000; s++) check(s);
    expect(ambiguous).toBeGreaterThanOrEqual(20);
  });
});

describe('fieldEqual', () => {
  it('agrees with deepEqual on random fields and their mutations', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { a, b } = randomPair(new Rng(s));
        for (const [name, model] of Object.entries(a.models)) {
          const other = b.models[name];
          if (!other) continue;
          expect(fieldsEqual(model.fields, other.fields)).toBe(deepEqual(model.fields, other.fields));
          for (const [field, x] of Object.entries(model.fields)) {
            const y = other.fields[field];
            if (y) expect(fieldEqual(x, y)).toBe(deepEqual(x, y));
          }
        }
      }),
      RUNS,
    );
  });
});
