import type { Row } from '@evolve/core';
import { editRoot, type Leaf } from './edit-path.ts';

/**
 * Replaces the value at `path` with `make(current, element)` in every place the path reaches
 * (`element` is the innermost array element on the way, `undefined` outside arrays). Missing parents are
 * not created: an absent optional object stays absent.
 *
 * @example
 * setIn(out, ['address', 'zip'], () => null);
 */
export function setIn(out: Row, path: readonly string[], make: Leaf, owned = false): void {
  editRoot(out, path, path.length, make, owned);
}

/** Like `setIn`, but only where a value is present and not null (absent and null values stay as they are). */
export function updateIn(out: Row, path: readonly string[], fn: Leaf, owned = false): void {
  editRoot(out, path, path.length, (v, el) => (v === undefined || v === null ? v : fn(v, el)), owned);
}

/** Deletes the value at `path` everywhere the path reaches. */
export function removeIn(out: Row, path: readonly string[], owned = false): void {
  editRoot(out, path, path.length, () => undefined, owned);
}

/** When the value at `path` is missing (`'missing'`), null (`'null'`) or either, replaces it with `make(element)`. */
export function fillIn(
  out: Row,
  path: readonly string[],
  when: 'missing' | 'null' | 'missingOrNull',
  make: (element: Row | undefined) => unknown,
  owned = false,
): void {
  const missing = when !== 'null';
  const nulls = when !== 'missing';
  editRoot(
    out,
    path,
    path.length,
    (v, el) => ((v === undefined && missing) || (v === null && nulls) ? make(el) : v),
    owned,
  );
}
