import type { Row } from '@evolve/core';
import type { DocumentUpgrader } from '../upgrader/create-upgrader.ts';
import type { HistoryStep } from '../upgrader/model-history.ts';
import { firstDifference } from './first-difference.ts';
import { failingPath, outcome } from './step-outcome.ts';

/** The step of a chain that breaks a document, and how. */
export interface Culprit {
  step: HistoryStep;
  /** `throws`: the step threw; `invalid`: its result does not fit its version; `unstable`: two runs differ. */
  how: 'throws' | 'invalid' | 'unstable';
  path?: string[];
}

/**
 * Walks a document of `version` through the upgrader's steps one at a time and names the first that throws,
 * gives a document its own version's schema rejects, or gives another result when run again on the same
 * input. `undefined` when every step behaves (the fault is in the chain as a whole).
 *
 * @example
 * blameStep(upgrader, { _id: 'a', note: '' }, 6); // { step: <0007_event_context>, how: 'invalid', path: ['payload', 'channel'] }
 */
export function blameStep(upgrader: DocumentUpgrader, doc: Row, version: number): Culprit | undefined {
  let current = doc;
  for (const step of upgrader.history.steps) {
    if (step.to <= version) continue;
    const given = structuredClone(current);
    const first = outcome(() => step.up(given, step.transforms));
    if (!first.ok) {
      const path = failingPath(first, step.plan.model);
      return { step, how: 'throws', ...(path ? { path } : {}) };
    }
    const second = outcome(() => step.up(given, step.transforms));
    const unstable = second.ok ? firstDifference(first.doc, second.doc) : [];
    if (unstable) return { step, how: 'unstable', path: unstable };
    const valid = outcome(() => {
      upgrader.validate(first.doc, step.to);
      return first.doc;
    });
    if (!valid.ok) return { step, how: 'invalid', ...(valid.field ? { path: valid.field.split('.') } : {}) };
    current = first.doc;
  }
  return undefined;
}
