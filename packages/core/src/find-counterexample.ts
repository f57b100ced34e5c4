import fc from 'fast-check';

/** The seed property checks use unless told otherwise, so a finding never flickers between runs. */
export const DEFAULT_PROPERTY_SEED = 42;
/** Random inputs per property unless told otherwise. */
export const DEFAULT_PROPERTY_RUNS = 100;

export interface CounterexampleSearch<T, P> {
  /** Where inputs come from (see `rowArbitrary`). */
  arbitrary: fc.Arbitrary<T>;
  /** What is wrong with the code's behaviour on an input, or `undefined` when the property holds. Must not throw. */
  problemOf: (input: T) => P | undefined;
  runs: number;
  seed: number;
}

/**
 * Runs a property on `runs` random inputs (deterministic for a seed) and, when one breaks it, returns the
 * smallest input fast-check shrinks the failure to, with its problem. The shared engine of the migration
 * verifiers (`verifyMigrations` in @evolve/sql, `verifyDocumentMigrations` in @evolve/document).
 *
 * @example
 * const arbitrary = rowArbitrary(snapshot.models.User!);
 * findCounterexample({ arbitrary, problemOf: (row) => (row.name ? undefined : 'empty name'), runs: 100, seed: 42 });
 * // { counterexample: { name: '', ... }, problem: 'empty name' }
 */
export function findCounterexample<T, P>(
  search: CounterexampleSearch<T, P>,
): { counterexample: T; problem: P } | undefined {
  // The counterexample is the last input that failed while shrinking, so its problem is the last one seen
  // (not a replay: code with hidden state may pass a second run on the same input).
  let last: P | undefined;
  const details = fc.check(
    fc.property(search.arbitrary, (input) => {
      const problem = search.problemOf(input);
      if (problem === undefined) return true;
      last = problem;
      return false;
    }),
    { numRuns: search.runs, seed: search.seed },
  );
  if (!details.failed || !details.counterexample || last === undefined) return undefined;
  return { counterexample: details.counterexample[0], problem: last };
}
