import { EvolveError, type Row } from '@evolve/core';
import { ABSENT, descend, ELEMENT, editRoot, isRecord, put } from './edit-path.ts';
import { ownMember } from './own.ts';
import { getIn, putIn } from './put-in.ts';

/** The index of a path's last `'[]'` step, or -1 (a plain loop: V8 does not inline `lastIndexOf`). */
function lastElementStep(path: readonly string[]): number {
  for (let i = path.length - 1; i >= 0; i--) if (path[i] === ELEMENT) return i;
  return -1;
}

/** Whether two paths step through the same arrays, so a move can happen inside each element. */
function arrayScope(from: readonly string[], to: readonly string[]): number | undefined {
  const a = lastElementStep(from);
  if (a !== lastElementStep(to)) return undefined;
  for (let i = 0; i < a; i++) if (from[i] !== to[i]) return undefined;
  return a;
}

/** Where a move happens: the shared array scope and the paths inside each element of it. */
export function moveScope(
  from: readonly string[],
  to: readonly string[],
): { scope: string[]; from: string[]; to: string[] } | undefined {
  const a = arrayScope(from, to);
  if (a === undefined) return undefined;
  return { scope: from.slice(0, a + 1), from: from.slice(a + 1), to: to.slice(a + 1) };
}

/** An element with a value moved from `from[s..]` to `to[s..]` (the target cleared where the source is missing). */
function movedCopy(el: Row, from: readonly string[], to: readonly string[], s: number, own: boolean): Row {
  const value = getIn(el, from, s);
  const next = descend(el, s, undefined, { path: from, end: from.length, leaf: ABSENT, own }) as Row;
  if (value !== undefined) return put(next, to, s, value, own);
  return descend(next, s, undefined, { path: to, end: to.length, leaf: ABSENT, own }) as Row;
}

/**
 * The owned form of a move inside array elements: walks `from[i..s)` (its last segment is the array
 * scope) and moves within each object element in place, as `movedCopy` does, without copying the
 * arrays or making a closure per call (a rename inside an array is the costliest step of a chain).
 */
function moveInElements(
  node: Row,
  from: readonly string[],
  to: readonly string[],
  i: number,
  s: number,
): void {
  const child = ownMember(node, from[i] as string);
  if (from[i + 1] !== ELEMENT) {
    if (isRecord(child)) moveInElements(child, from, to, i + 1, s);
    return;
  }
  if (!Array.isArray(child)) return;
  // the scope ends at this array, or goes on inside each of its elements
  const last = i + 2 === s;
  const single = from.length === s + 1 && to.length === s + 1;
  const fromKey = from[s] as string;
  const toKey = to[s] as string;
  for (let k = 0; k < child.length; k++) {
    const el = child[k];
    if (!isRecord(el)) continue;
    if (!last) moveInElements(el, from, to, i + 2, s);
    else if (!single) movedCopy(el, from, to, s, true);
    else {
      const value = ownMember(el, fromKey);
      if (value !== undefined) {
        el[fromKey] = undefined;
        el[toKey] = value;
      } else if (ownMember(el, toKey) !== undefined) el[toKey] = undefined;
    }
  }
}

/**
 * Moves a value from one path to another (a rename, or a move between nesting levels). Both paths must
 * step through the same arrays; inside them the move happens per element. Where the source is missing,
 * the target is left absent (a member stored there under the new name is cleared), at any depth.
 *
 * @example
 * moveIn(out, ['city'], ['address', 'city']); // plunge
 */
export function moveIn(out: Row, from: readonly string[], to: readonly string[], owned = false): void {
  const a = arrayScope(from, to);
  if (a === undefined) {
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `cannot move ${from.join('.')} to ${to.join('.')}: the paths cross different arrays`,
      { path: to.join('.') },
    );
  }
  if (a >= 0) {
    if (owned) moveInElements(out, from, to, 0, a + 1);
    else
      editRoot(out, from, a + 1, (el) => (isRecord(el) ? movedCopy(el, from, to, a + 1, false) : el), false);
    return;
  }
  const value = getIn(out, from);
  editRoot(out, from, from.length, ABSENT, owned);
  putIn(out, to, value, owned);
}
