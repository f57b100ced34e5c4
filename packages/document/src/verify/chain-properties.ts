import { findCounterexample, objectArbitrary, type Row } from '@evolve/core';
import type { DocumentUpgrader } from '../upgrader/create-upgrader.ts';
import { blameStep } from './blame-step.ts';
import type { PropertyProblem, PropertyRun } from './document-property-finding.ts';
import { firstDifference } from './first-difference.ts';
import { failingPath, outcome, outcomeDifference, showAt } from './step-outcome.ts';

/** A counterexample of one version with the property it breaks. */
export interface VersionCounterexample {
  version: number;
  counterexample: Row;
  problem: PropertyProblem;
}

const dotted = (path: readonly string[]) => (path.length ? path.join('.') : '(document)');

/**
 * `valid-upgrade` and `idempotent-upgrade` for random documents of every version a step starts from
 * (the versions in between hold the same shape), upgraded by the upgrader itself, the code `versioned()`
 * and `sweep()` run. Newest version first, so the counterexample closest to the faulty step comes first.
 */
export function chainProperties(upgrader: DocumentUpgrader, run: PropertyRun): VersionCounterexample[] {
  const steps = upgrader.history.steps;
  const last = steps[steps.length - 1];
  if (!last) return [];
  const versions = [...new Set(steps.map((s) => s.from))].sort((a, b) => b - a);
  const found: VersionCounterexample[] = [];
  for (const version of versions) {
    const arbitrary = objectArbitrary(upgrader.shapeAt(version).fields).map(
      (doc): Row => ({ ...doc, [upgrader.versionField]: version }),
    );
    const problemOf = (doc: Row): PropertyProblem | undefined => {
      const culprit = () => blameStep(upgrader, doc, version);
      const given = structuredClone(doc);
      const once = outcome(() => upgrader.upgrade(given));
      if (!once.ok) {
        if (once.code === 'TODO_TRANSFORM') return undefined; // a TODO_TRANSFORM finding of its own
        const blamed = culprit();
        const path = failingPath(once, upgrader.model) ?? blamed?.path;
        return {
          property: 'valid-upgrade',
          migration: once.migration ?? blamed?.step.migrationId ?? last.migrationId,
          problem: once.message,
          ...(path ? { path } : {}),
        };
      }
      const unstable = (problem: string, path: string[]): PropertyProblem => ({
        property: 'idempotent-upgrade',
        migration: culprit()?.step.migrationId ?? last.migrationId,
        problem,
        path,
      });
      const twice = outcome(() => upgrader.upgrade(structuredClone(once.doc)));
      const changed = outcomeDifference(once, twice);
      if (changed) {
        return unstable(
          `upgrading the upgraded document again changes ${dotted(changed.path)}: ${changed.a}, then ${changed.b}`,
          changed.path,
        );
      }
      const wrote = firstDifference(doc, given);
      if (wrote) {
        return unstable(
          `upgrade wrote into the document it was given: ${dotted(wrote)} was ${showAt(doc, wrote)}, became ${showAt(given, wrote)}`,
          wrote,
        );
      }
      const again = outcome(() => upgrader.upgrade(structuredClone(doc)));
      const differs = outcomeDifference(once, again);
      if (differs) {
        return unstable(
          `upgrading the same document twice gives two results at ${dotted(differs.path)}: ${differs.a}, then ${differs.b}`,
          differs.path,
        );
      }
      return undefined;
    };
    const failure = findCounterexample({ arbitrary, problemOf, ...run });
    if (failure) found.push({ version, ...failure });
  }
  return found;
}
