import type { Change, ChangeSet, ModelSnapshot, Snapshot } from '@evolve/core';
import { planDocumentStep } from './plan-document-step.ts';
import type { StepPlan } from './step-plan.ts';

const MODEL_ONLY = new Set<Change['kind']>(['createModel', 'dropModel']);

/** The name a model had in `before`, following a rename in the change set. */
export function previousName(changes: readonly Change[], model: string): string {
  const rename = changes.find((c) => c.kind === 'renameModel' && c.model === model);
  return rename?.kind === 'renameModel' ? rename.from : model;
}

/**
 * Plans every document model a change set changes (models created or dropped by it have no step),
 * keyed by the model's new name.
 *
 * @example
 * const plans = planChangeSet(changeSet, { before, after });
 */
export function planChangeSet(
  changeSet: Pick<ChangeSet, 'changes'>,
  snapshots: { before: Snapshot; after: Snapshot },
): StepPlan[] {
  const { changes } = changeSet;
  const plans: StepPlan[] = [];
  const names = [...new Set(changes.map((c) => c.model))].sort();
  for (const name of names) {
    const after: ModelSnapshot | undefined = snapshots.after.models[name];
    if (after?.target !== 'document') continue;
    const own = changes.filter((c) => c.model === name);
    if (own.some((c) => MODEL_ONLY.has(c.kind))) continue;
    const previousModel = previousName(changes, name);
    const before = snapshots.before.models[previousModel];
    if (!before) continue;
    plans.push(planDocumentStep({ model: name, previousModel, changes: own, before: before.fields }));
  }
  return plans;
}
