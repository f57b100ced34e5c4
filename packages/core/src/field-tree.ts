import type { FieldPath } from './change-types.ts';
import type { FieldSnapshot } from './snapshot-types.ts';

/** A model's root fields or a nested object's fields. */
export type FieldRecord = Record<string, FieldSnapshot>;

/** The array-element path segment. */
export const ELEMENT = '[]';

/** `User.address.city` style text of a path (with the model name when given). */
export function pathText(path: readonly string[], model?: string): string {
  return model === undefined ? path.join('.') : [model, ...path].join('.');
}

/** The children of a node when it is an object (the root record for the empty path). */
export function childrenOf(node: FieldSnapshot): FieldRecord | undefined {
  return node.type.kind === 'object' ? node.type.fields : undefined;
}

/** The node at `path` under `root`, or undefined when any step is missing or of the wrong kind. */
export function nodeAt(root: FieldRecord, path: readonly string[]): FieldSnapshot | undefined {
  let node: FieldSnapshot | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    if (seg === ELEMENT) {
      if (node?.type.kind !== 'array') return undefined;
      node = node.type.element;
      continue;
    }
    const fields = i === 0 ? root : node && childrenOf(node);
    if (!fields || !Object.hasOwn(fields, seg)) return undefined;
    node = fields[seg];
  }
  return node;
}

/** The record that holds the last segment of `path` (the root for a top-level field), if it is an object. */
export function parentRecord(root: FieldRecord, path: readonly string[]): FieldRecord | undefined {
  if (path.length === 0 || path[path.length - 1] === ELEMENT) return undefined;
  if (path.length === 1) return root;
  const parent = nodeAt(root, path.slice(0, -1));
  return parent && childrenOf(parent);
}

/** Whether `prefix` is a (non-strict) prefix of `path`. */
export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

/** Number of array steps in a path. */
export function arrayDepth(path: FieldPath): number {
  let n = 0;
  for (const seg of path) if (seg === ELEMENT) n++;
  return n;
}
