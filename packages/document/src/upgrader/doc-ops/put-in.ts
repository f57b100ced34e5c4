import type { Row } from '@evolve/core';
import { ABSENT, editRoot, isRecord, put, setMember } from './edit-path.ts';
import { ownMember } from './own.ts';

/** Reads the value at `path[start..]` (a path without arrays); `undefined` when any step is missing. */
export function getIn(doc: unknown, path: readonly string[], start = 0): unknown {
  let node = doc;
  for (let i = start; i < path.length; i++) {
    if (!isRecord(node)) return undefined;
    node = ownMember(node, path[i] as string);
  }
  return node;
}

/**
 * Writes `value` at a path without arrays, creating missing parents: a move's target. An `undefined`
 * value (the move's source is missing) leaves the target absent: a member already there (stored under
 * the new name before it was one) is cleared, as a top-level move clears it, and no parent is created.
 *
 * @example
 * putIn(out, ['address', 'city'], old.city); // plunge a detached top-level field
 */
export function putIn(out: Row, path: readonly string[], value: unknown, owned = false): void {
  if (value === undefined) {
    editRoot(out, path, path.length, ABSENT, owned);
    return;
  }
  const key = path[0] as string;
  if (path.length === 1) setMember(out, key, value);
  else {
    const child = ownMember(out, key);
    setMember(out, key, isRecord(child) ? put(child, path, 1, value, owned) : put({}, path, 1, value, true));
  }
}
