import { findCounterexample, isTodo, objectArbitrary, type Row, type Transform } from '@evolve/core';
import fc from 'fast-check';
import { compileStep, type StepFunction, type StepTransforms } from '../upgrader/compile-step.ts';
import type { DocumentUpgrader } from '../upgrader/create-upgrader.ts';
import { clean } from '../upgrader/doc-ops/clean.ts';
import type { HistoryStep } from '../upgrader/model-history.ts';
import type { VersionCounterexample } from './chain-properties.ts';
import type { PropertyRun } from './document-property-finding.ts';
import { firstDifference } from './first-difference.ts';
import { failingPath, isTodoOutcome, outcome, outcomeDifference, showAt } from './step-outcome.ts';

const dotted = (path: readonly string[]) => (path.length ? path.join('.') : '(document)');

/**
 * `lossless-down` for every step the planner declares lossless (a rename, an added field, a widening...):
 * `down(up(x))` gives back `x` for random documents `x` of the step's older version. A step that throws on
 * the way up is left to `valid-upgrade`.
 */
export function losslessDown(upgrader: DocumentUpgrader, run: PropertyRun): VersionCounterexample[] {
  const found: VersionCounterexample[] = [];
  for (const step of upgrader.history.steps) {
    if (!step.plan.lossless) continue;
    const failure = findCounterexample({
      arbitrary: objectArbitrary(upgrader.shapeAt(step.from).fields),
      problemOf: (doc: Row) => {
        const up = outcome(() => step.up(structuredClone(doc), step.transforms));
        if (!up.ok) return undefined;
        const down = outcome(() => clean(step.down(up.doc, {})));
        if (!down.ok) {
          if (isTodoOutcome(down)) return undefined;
          const path = failingPath(down, step.plan.previousModel);
          return {
            property: 'lossless-down' as const,
            migration: step.migrationId,
            problem: `down threw ${down.code}: ${down.message}`,
            ...(path ? { path } : {}),
          };
        }
        const path = firstDifference(down.doc, doc);
        if (!path) return undefined;
        return {
          property: 'lossless-down' as const,
          migration: step.migrationId,
          problem: `down(up(x)) differs from x at ${dotted(path)}: ${showAt(down.doc, path)} instead of ${showAt(doc, path)} (the step is declared lossless)`,
          path,
        };
      },
      ...run,
    });
    if (failure) found.push({ version: step.from, ...failure });
  }
  return found;
}

/**
 * `generated-matches-interpreter` for every step whose code comes from the migration file: its `up` on
 * random documents of the older version, and its `down` on random documents of the newer one, give what
 * the interpreter of the step's changes gives (the same document, or an error with the same code).
 * Logic of your own belongs in the migration's transforms, which both call.
 */
export function generatedMatchesInterpreter(
  upgrader: DocumentUpgrader,
  run: PropertyRun,
): VersionCounterexample[] {
  const found: VersionCounterexample[] = [];
  for (const step of upgrader.history.steps) {
    if (!step.generated) continue;
    const { plan } = step;
    const directions: { name: 'up' | 'down'; version: number; code: StepFunction; oracle: StepFunction }[] = [
      {
        name: 'up',
        version: step.from,
        code: step.up,
        oracle: compileStep(plan.up, plan.model, plan.before),
      },
      {
        name: 'down',
        version: step.to,
        code: step.down,
        oracle: compileStep(plan.down, plan.previousModel, plan.after),
      },
    ];
    for (const direction of directions) {
      const failure = compare(step, direction, run);
      if (failure) {
        found.push({ version: direction.version, ...failure });
        break; // one finding per step: the file's code is edited, whichever direction shows it
      }
    }
  }
  return found;
}

function compare(
  step: HistoryStep,
  direction: { name: 'up' | 'down'; version: number; code: StepFunction; oracle: StepFunction },
  run: PropertyRun,
) {
  return findCounterexample({
    arbitrary: objectArbitrary(stepShape(step, direction.name)),
    problemOf: (doc: Row) => {
      const t = direction.name === 'up' ? sharedResults(step.transforms) : {};
      const ours = outcome(() => clean(direction.code(structuredClone(doc), t)));
      const theirs = outcome(() => clean(direction.oracle(structuredClone(doc), t)));
      if (isTodoOutcome(ours) && isTodoOutcome(theirs)) return undefined;
      const differs = outcomeDifference(ours, theirs);
      if (!differs) return undefined;
      return {
        property: 'generated-matches-interpreter' as const,
        migration: step.migrationId,
        problem: `${direction.name} in the migration file gives ${differs.a} at ${dotted(differs.path)}, the interpreter of its changes ${differs.b}`,
        path: differs.path,
      };
    },
    ...run,
  });
}

/**
 * The transforms, each giving both sides the same result for the same input: the comparison is of the
 * file's code with the interpreter, so a transform with hidden state (an `idempotent-upgrade` finding of
 * its own) must not make them differ.
 */
function sharedResults(transforms: StepTransforms): StepTransforms {
  const results = new Map<string, unknown>();
  const shared: Record<string, Transform> = {};
  for (const [key, fn] of Object.entries(transforms)) {
    shared[key] = isTodo(fn)
      ? fn
      : (old) => {
          const at = `${key} ${fc.stringify(old)}`;
          if (!results.has(at)) results.set(at, fn(old));
          return results.get(at);
        };
  }
  return shared;
}

/** The fields a step direction starts from. */
function stepShape(step: HistoryStep, direction: 'up' | 'down') {
  return direction === 'up' ? step.plan.before : step.plan.after;
}
