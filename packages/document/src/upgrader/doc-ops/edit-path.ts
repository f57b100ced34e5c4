import { type Row, setOwn } from '@evolve/core';
import { ownMember } from './own.ts';

// The walk under the path edits (setIn, putIn, moveIn); ./index.ts states the rules they share. Members
// are read own-only (`ownMember`): an absent `constructor` is absent, not `Object`.

/** The array-element path segment. */
export const ELEMENT = '[]';

export type Leaf = (value: unknown, element: Row | undefined) => unknown;

/** The leaf that leaves a member absent (a move's emptied source, or its cleared target). */
export const ABSENT: Leaf = () => undefined;

export const isRecord = (v: unknown): v is Row =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** One edit under a path: what `leaf` makes of the values at `path[0..end)`, in place when `own`. */
export interface PathEdit {
  path: readonly string[];
  end: number;
  leaf: Leaf;
  /** The caller's working copy, whose objects are its own: edited in place rather than copied. */
  own: boolean;
}

/**
 * `node` with `edit` applied from `path[i]`: a new object when anything changed, or `node` itself edited in
 * place when `edit.own`. `ownNode` says the same of `node` alone (a step's own root object, whose members
 * may still be shared).
 */
function edited(node: Row, i: number, element: Row | undefined, edit: PathEdit, ownNode = edit.own): Row {
  const key = edit.path[i] as string;
  if (i === edit.end - 1) {
    const current = ownMember(node, key);
    const value = edit.leaf(current, element);
    if (value === undefined && current === undefined) return node;
    return withKey(node, key, value, ownNode);
  }
  const child = ownMember(node, key);
  if (child === undefined || child === null) return node;
  const next = descend(child, i + 1, element, edit);
  return next === child ? node : withKey(node, key, next, ownNode);
}

/**
 * Sets `node[key]` as an own member (`__proto__` too, which a plain assignment would make the prototype).
 *
 * @example
 * setMember(out, '__proto__', { isAdmin: true }); // an own data member; out's prototype is unchanged
 */
export function setMember(node: Row, key: string, value: unknown): void {
  if (key === '__proto__') setOwn(node, key, value);
  else node[key] = value;
}

/** `node` with `key` set: in place when owned, else a copy (spread, then assign). */
export function withKey(node: Row, key: string, value: unknown, own: boolean): Row {
  if (own) {
    setMember(node, key, value);
    return node;
  }
  const copy = { ...node };
  setMember(copy, key, value);
  return copy;
}

/** `node` with `edit` applied from `path[i]`, which may be the array-element segment. */
export function descend(node: unknown, i: number, element: Row | undefined, edit: PathEdit): unknown {
  if (edit.path[i] === ELEMENT) {
    if (!Array.isArray(node)) return node;
    if (i === edit.end - 1) return node.map((v) => edit.leaf(v, element));
    if (edit.own) {
      for (let k = 0; k < node.length; k++) {
        const v = node[k];
        if (isRecord(v)) edited(v, i + 1, v, edit);
      }
      return node;
    }
    return node.map((v) => (isRecord(v) ? edited(v, i + 1, v, edit) : v));
  }
  return isRecord(node) ? edited(node, i, element, edit) : node;
}

/** Applies an edit at `path[0..end)` to the step's own root object (in place; below it only when `own`). */
export function editRoot(out: Row, path: readonly string[], end: number, leaf: Leaf, own: boolean): void {
  edited(out, 0, undefined, { path, end, leaf, own }, true);
}

/** `node` with `value` at `path[i..]`, creating missing parents (the value must land somewhere). */
export function put(node: Row, path: readonly string[], i: number, value: unknown, own: boolean): Row {
  const key = path[i] as string;
  if (i === path.length - 1) return withKey(node, key, value, own);
  const child = ownMember(node, key);
  return withKey(
    node,
    key,
    put(isRecord(child) ? child : {}, path, i + 1, value, own || !isRecord(child)),
    own,
  );
}
