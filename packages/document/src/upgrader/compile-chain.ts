import type { Row } from '@evolve/core';
import type { ValidationIssue } from './compile-validator.ts';
import type { HistoryStep } from './model-history.ts';

/** One upgrade path, fused: `(doc, version) => the document at the target version, validated and stamped`. */
export type ChainFunction = (doc: Row, version: number) => Row;

export interface ChainParts {
  /** The steps to run, in order (at least one). */
  steps: readonly HistoryStep[];
  /** Per step: whether its `up` may edit the working copy in place (else it works on its own copy). */
  inPlace: readonly boolean[];
  /** The version the result is stamped with. */
  target: number;
  /** The working copy the steps edit in place, and the clean stamped result (see `workingCopy`). */
  prepare: (doc: Row) => Row;
  finish: (work: Row, version: number) => Row;
  validate: (doc: unknown) => ValidationIssue | undefined;
  /** Throws the error for a step that threw (`doc` and `version` are the input's). */
  stepFailed: (step: HistoryStep, error: unknown, doc: Row, version: number) => never;
  /** Throws the error for a result that does not fit the target version. */
  invalid: (doc: Row, version: number, issue: ValidationIssue) => never;
}

/**
 * Generates one straight-line function for an upgrade path (copy in, each `up` step in turn, copy out,
 * validate). A loop over the steps calls ten different functions from one call site, which V8 leaves
 * megamorphic and never inlines; here every step has its own call site, monomorphic and inlinable.
 * Returns `undefined` where code generation is not allowed (callers keep the loop).
 *
 * @example
 * const fromV1 = compileChain({ ...parts, steps: history.steps.filter((s) => s.from >= 1), target: 11 });
 * fromV1?.(doc, 1);
 */
export function compileChain(parts: ChainParts): ChainFunction | undefined {
  const { steps } = parts;
  // `S[i].up(...)` keeps `this` the step, as the loop's `step.up(...)` does
  const calls = steps.map(
    (_, i) => `out = S[${i}].up(out, S[${i}].transforms, ${parts.inPlace[i] === true}); at = ${i + 1};`,
  );
  const source = [
    'return function upgradeChain(doc, version) {',
    '  let out = prepare(doc);',
    '  let at = 0;',
    '  try {',
    ...calls.map((c) => `    ${c}`),
    '  } catch (error) {',
    '    stepFailed(S[at], error, doc, version);',
    '  }',
    '  const result = finish(out, target);',
    '  const issue = validate(result);',
    '  if (issue !== undefined) invalid(doc, version, issue);',
    '  return result;',
    '};',
  ].join('\n');
  try {
    const make = new Function(
      'S',
      'target',
      'prepare',
      'finish',
      'validate',
      'stepFailed',
      'invalid',
      source,
    );
    return make(
      steps,
      parts.target,
      parts.prepare,
      parts.finish,
      parts.validate,
      parts.stepFailed,
      parts.invalid,
    ) as ChainFunction;
  } catch {
    return undefined;
  }
}
