import {
  type Change,
  EvolveError,
  type FieldSnapshot,
  type ModelSnapshot,
  type Snapshot,
  type WorkingModels,
} from '@evolve/core';

export { applyChange } from '@evolve/core';

/**
 * Models by name, as the planner tracks them while it walks a change set. Changes are applied with core's
 * `applyChange` (the same rule as `applyChanges`), so the planner's view of a model is the snapshot's.
 */
export type ModelState = WorkingModels;

export function modelStateOf(snapshot: Snapshot): ModelState {
  return structuredClone(snapshot.models) as ModelState;
}

export function modelOf(state: ModelState, name: string, change: Change): ModelSnapshot {
  const model = Object.hasOwn(state, name) ? state[name] : undefined;
  if (!model) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `change ${change.kind} names model ${name}, unknown at that point (is \`before\` the snapshot the change set starts from?)`,
      { path: name },
    );
  }
  return model;
}

export function fieldOf(model: ModelSnapshot, name: string, change: Change): FieldSnapshot {
  const field = Object.hasOwn(model.fields, name) ? model.fields[name] : undefined;
  if (!field) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `change ${change.kind} names field ${model.name}.${name}, unknown at that point`,
      { path: `${model.name}.${name}` },
    );
  }
  return field;
}
