import type { FieldPath } from './change-types.ts';
import type { UnclassifiedChange } from './classify-change.ts';
import { deepEqual } from './deep-equal.ts';
import { fieldEqual } from './field-equal.ts';
import { ELEMENT, type FieldRecord } from './field-tree.ts';
import type { FieldSnapshot } from './snapshot-types.ts';
import { sortedInPlace } from './sorted-keys.ts';
import { typeChanges } from './type-changes.ts';

/** The field changes between two field trees of one model, by kind, each list in path order. */
export interface FieldComparison {
  drops: UnclassifiedChange[];
  adds: UnclassifiedChange[];
  /** Per-field changes (type, nullability, optionality, default, column, generated), nested ones after their parent's. */
  others: UnclassifiedChange[];
}

/**
 * Compares the fields of `model` as they are (`old`, renames already applied) with the fields it should have
 * (`next`): a field only in `old` is dropped, one only in `next` is added, one in both is compared property by
 * property and, for objects and arrays, child by child.
 */
export function compareFields(model: string, old: FieldRecord, next: FieldRecord): FieldComparison {
  const out: FieldComparison = { drops: [], adds: [], others: [] };
  compareRecords(model, old, next, [], out);
  return out;
}

function compareRecords(
  model: string,
  a: FieldRecord,
  b: FieldRecord,
  path: FieldPath,
  out: FieldComparison,
) {
  const names = Object.keys(a);
  for (const name of Object.keys(b)) if (!Object.hasOwn(a, name)) names.push(name);
  sortedInPlace(names);
  for (const name of names) {
    const x = Object.hasOwn(a, name) ? a[name] : undefined;
    const y = Object.hasOwn(b, name) ? b[name] : undefined;
    if (x && y) {
      if (!fieldEqual(x, y)) compareNodes(model, x, y, [...path, name], out);
    } else if (x) out.drops.push({ kind: 'dropField', model, path: [...path, name], previous: x });
    else if (y) out.adds.push({ kind: 'addField', model, path: [...path, name], field: y });
  }
}

function compareNodes(
  model: string,
  x: FieldSnapshot,
  y: FieldSnapshot,
  path: FieldPath,
  out: FieldComparison,
) {
  if (fieldEqual(x, y)) return;
  const others = out.others;
  const container = x.type.kind === y.type.kind && (x.type.kind === 'object' || x.type.kind === 'array');
  if (!container && !deepEqual(x.type, y.type)) others.push(...typeChanges(model, x.type, y.type, path));
  if (x.nullable !== y.nullable)
    others.push({ kind: 'changeNullable', model, path, from: x.nullable, to: y.nullable });
  if (x.optional !== y.optional)
    others.push({ kind: 'changeOptional', model, path, from: x.optional, to: y.optional });
  if (!deepEqual(x.default, y.default)) {
    const change: UnclassifiedChange = { kind: 'changeDefault', model, path };
    if (x.default) change.from = x.default;
    if (y.default) change.to = y.default;
    others.push(change);
  }
  if (x.column !== y.column || x.sqlType !== y.sqlType) {
    others.push({ kind: 'changeColumn', model, path, from: columnOf(x), to: columnOf(y) });
  }
  if (x.generated !== y.generated) {
    const change: UnclassifiedChange = { kind: 'changeGenerated', model, path };
    if (x.generated) change.from = x.generated;
    if (y.generated) change.to = y.generated;
    others.push(change);
  }
  if (x.type.kind === 'object' && y.type.kind === 'object')
    compareRecords(model, x.type.fields, y.type.fields, path, out);
  if (x.type.kind === 'array' && y.type.kind === 'array') {
    compareNodes(model, x.type.element, y.type.element, [...path, ELEMENT], out);
  }
}

const columnOf = (f: FieldSnapshot) => {
  const out: { column?: string; sqlType?: string } = {};
  if (f.column !== undefined) out.column = f.column;
  if (f.sqlType !== undefined) out.sqlType = f.sqlType;
  return out;
};
