import type { ModelSnapshot, Row } from '@evolve/core';
import type { HistoryStep, ModelHistory } from './model-history.ts';
import { probeInPlace, probeTouchedCopy, sampleDocument } from './probe-in-place.ts';
import { touchedPaths } from './touched-paths.ts';
import { touchedWorkingCopy, type WorkingCopy } from './working-copy.ts';

/** How an upgrade chain may treat each step's document (decided once, by probing the steps). */
export interface StepCopies {
  /** Per step and direction: whether it may edit the chain's working copy in place. */
  inPlace: Map<HistoryStep, { up: boolean; down: boolean }>;
  /** Steps that edit only what their plan says (a chain of only these may copy only what it edits). */
  planned: Set<HistoryStep>;
  /** The ends of a chain that copy only the parts it edits (undefined: copy the whole document). */
  partialCopy(chain: readonly HistoryStep[]): WorkingCopy | undefined;
}

/**
 * Probes each step of a model's history on sample documents. Steps edit the chain's working copy in place,
 * except a step from a migration file that behaves differently when it does (hand-edited code reading `doc`
 * after changing it): it gets its own copy.
 *
 * @example
 * const { prepare } = workingCopy(history.shapes.values(), '_v');
 * const copies = stepCopies(history, '_v', (v) => history.shapes.get(v)!, prepare);
 * copies.inPlace.get(step)?.up; // whether `up` may edit the chain's copy in place
 */
export function stepCopies(
  history: ModelHistory,
  versionField: string,
  shapeAt: (version: number) => ModelSnapshot,
  prepare: (doc: Row) => Row,
): StepCopies {
  const samples = (version: number) =>
    [true, false].map((present) => sampleDocument(shapeAt(version).fields, present));
  const inPlace = new Map<HistoryStep, { up: boolean; down: boolean }>();
  for (const step of history.steps) {
    if (!step.generated) {
      inPlace.set(step, { up: true, down: true });
      continue;
    }
    inPlace.set(step, {
      up: probeInPlace(step.up, step.transforms, samples(step.from), prepare),
      down: probeInPlace(step.down, {}, samples(step.to), prepare),
    });
  }
  const partialCopy = (chain: readonly HistoryStep[]) => {
    const touched = touchedPaths(chain.map((step) => ({ ops: step.plan.up, transforms: step.transforms })));
    // the members of the versions the chain goes through: a member only older versions had is not
    // declared (it would be one more absent member for `finish` to drop from every document)
    const from = chain[0]?.from ?? history.createdVersion;
    const shapes = [...history.shapes].filter(([version]) => version >= from).map(([, shape]) => shape);
    return touched && touchedWorkingCopy(shapes, versionField, touched);
  };
  const planned = new Set<HistoryStep>();
  for (const step of history.steps) {
    const own = partialCopy([step]);
    const owned = inPlace.get(step)?.up === true;
    if (own && probeTouchedCopy(step.up, step.transforms, samples(step.from), own.prepare, owned)) {
      planned.add(step);
    }
  }
  return { inPlace, planned, partialCopy };
}
