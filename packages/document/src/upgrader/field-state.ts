import type { Change, FieldSnapshot } from '@evolve/core';
import { ELEMENT } from './doc-ops/edit-path.ts';

/** A model's root fields, or a nested object's fields. */
export type FieldRecord = Record<string, FieldSnapshot>;

const clone = <T>(v: T): T => structuredClone(v);

/** The field at `path` (with `'[]'` steps into array elements), or undefined. */
export function fieldAt(root: FieldRecord, path: readonly string[]): FieldSnapshot | undefined {
  let node: FieldSnapshot | undefined;
  let fields: FieldRecord | undefined = root;
  for (const seg of path) {
    if (seg === ELEMENT) {
      if (node?.type.kind !== 'array') return undefined;
      node = node.type.element;
    } else {
      if (!fields || !Object.hasOwn(fields, seg)) return undefined;
      node = fields[seg];
    }
    fields = node?.type.kind === 'object' ? node.type.fields : undefined;
  }
  return node;
}

function parentOf(root: FieldRecord, path: readonly string[]): FieldRecord | undefined {
  if (path.length === 1) return root;
  const parent = fieldAt(root, path.slice(0, -1));
  return parent?.type.kind === 'object' ? parent.type.fields : undefined;
}

/**
 * Applies one field-level change to a working copy of a model's fields, in place, without the checks
 * core's `applyChanges` makes (the history has been checked already). Other kinds leave fields alone.
 */
export function applyFieldChange(root: FieldRecord, change: Change): void {
  const last = change.path[change.path.length - 1] as string;
  switch (change.kind) {
    case 'addField': {
      const parent = parentOf(root, change.path);
      if (parent) parent[last] = clone(change.field);
      return;
    }
    case 'dropField': {
      const parent = parentOf(root, change.path);
      if (parent) delete parent[last];
      return;
    }
    case 'renameField': {
      const from = parentOf(root, change.from);
      if (from) delete from[change.from[change.from.length - 1] as string];
      const to = parentOf(root, change.path);
      if (to) to[last] = clone(change.field);
      return;
    }
    case 'changeType': {
      const node = fieldAt(root, change.path);
      if (node) node.type = clone(change.to);
      return;
    }
    case 'changeNullable': {
      const node = fieldAt(root, change.path);
      if (node) node.nullable = change.to;
      return;
    }
    case 'changeOptional': {
      const node = fieldAt(root, change.path);
      if (node) node.optional = change.to;
      return;
    }
    case 'changeDefault': {
      const node = fieldAt(root, change.path);
      if (!node) return;
      if (change.to === undefined) delete node.default;
      else node.default = clone(change.to);
      return;
    }
    case 'addEnumValues':
    case 'removeEnumValues': {
      const node = fieldAt(root, change.path);
      if (node?.type.kind === 'enum') node.type.values = [...change.after];
      return;
    }
    default:
      return;
  }
}
