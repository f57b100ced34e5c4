import type { Row } from '@evolve/core';
import { ELEMENT, isRecord } from './edit-path.ts';
import { ownMember } from './own.ts';

/** `node`'s member `path[i]` replaced by its own copy, and the objects below it on the path likewise. */
function copyFrom(node: Row, path: readonly string[], i: number): void {
  if (i >= path.length) return;
  const key = path[i] as string;
  const child = ownMember(node, key);
  if (path[i + 1] === ELEMENT) {
    if (!Array.isArray(child)) return;
    node[key] = child.map((el) => {
      if (!isRecord(el)) return el;
      const copy = { ...el };
      copyFrom(copy, path, i + 2);
      return copy;
    });
    return;
  }
  if (!isRecord(child)) return;
  const copy = { ...child };
  copyFrom(copy, path, i + 1);
  node[key] = copy;
}

/**
 * Gives a step's own root object (`out`, already a copy of the document) its own copies of the objects and
 * arrays along `path` (`'[]'`: each object element of an array), so that the written-out edit after it
 * changes them without touching the document the step was given. Values that are not objects (missing,
 * null, a date, a string...) are left as they are: the edit steps over them. A step that runs on the chain's
 * working copy (`inPlace`) owns all of it already and skips this.
 *
 * @example
 * copyPath(out, ['items', '[]']); // out.items and each of its object elements are now the step's own
 */
export function copyPath(out: Row, path: readonly string[]): void {
  copyFrom(out, path, 0);
}
