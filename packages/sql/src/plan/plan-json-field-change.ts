import { type Change, columnOf, type ModelSnapshot } from '@evolve/core';
import type { BackfillValue } from '../steps/sql-step.ts';
import { dropColumn, moveJson, transform } from '../steps/step-constructors.ts';
import { fieldOf } from './model-state.ts';
import { addSet, type Group } from './plan-group.ts';

interface JsonChangeAt {
  before: ModelSnapshot;
  after: ModelSnapshot;
  transformed: boolean;
}

/** `column.json.path` of a field path, for moveJson (undefined inside arrays, where it cannot move). */
function jsonAddress(model: ModelSnapshot, fieldPath: readonly string[], change: Change): string | undefined {
  const [head, ...rest] = fieldPath;
  if (head === undefined || rest.includes('[]')) return undefined;
  return [columnOf(head, fieldOf(model, head, change)), ...rest].join('.');
}

/**
 * The value a change moves: the migration's transform when it has one, else, for a rename, the database's
 * JSON functions (`moveJson`), else nothing.
 */
export function movedValue(change: Change, at: JsonChangeAt): BackfillValue | undefined {
  if (at.transformed) return transform(change.path.join('.'));
  if (change.kind !== 'renameField') return undefined;
  const from = jsonAddress(at.before, change.from, change);
  const to = jsonAddress(at.after, change.path, change);
  return from && to ? moveJson(from, to) : undefined;
}

/**
 * A change inside a JSON column: no DDL; its data moves with a transform or, for renames, moveJson. A column
 * moved into a JSON column (a plunge) is dropped once the JSON holds its values.
 */
export function planJsonFieldChange(change: Change, at: JsonChangeAt & { group: Group }): void {
  const top = change.path[0] as string;
  const source = movedValue(change, at);
  if (source) addSet(at.group, columnOf(top, fieldOf(at.after, top, change)), source);
  if (change.kind === 'renameField' && change.from.length === 1) {
    const from = change.from[0] as string;
    at.group.post.push(dropColumn(at.after.table, columnOf(from, fieldOf(at.before, from, change))));
  }
}
