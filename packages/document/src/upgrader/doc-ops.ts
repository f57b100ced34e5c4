import { EvolveError, isTodo, type Row, setOwn, type Transform } from '@evolve/core';

/**
 * Path edits used by generated `up`/`down` functions and by the change interpreter.
 *
 * Every edit takes the step's own shallow copy of the document (`out`) and changes it in place; nested
 * objects and arrays on the way are replaced by edited copies, so the input document is never mutated.
 * A path is a list of field names; `'[]'` steps into every element of an array.
 *
 * A member whose value is `undefined` is absent. Removing a member sets it to `undefined` instead of
 * deleting it: `delete` (or object rest) on a copy puts V8 objects on a slow path, and an upgrade chain
 * touches each document ten times over. `clean` drops such members once, at the end of a chain.
 */

/** The array-element path segment. */
export const ELEMENT = '[]';

type Leaf = (value: unknown, element: Row | undefined) => unknown;

const isRecord = (v: unknown): v is Row =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * `node` with the edit applied at `path[i..end)`: a new object when anything changed, or `node` itself
 * edited in place when `own` (the caller's working copy, whose objects are its own).
 */
function edited(
  node: Row,
  path: readonly string[],
  i: number,
  end: number,
  leaf: Leaf,
  element: Row | undefined,
  own: boolean,
): Row {
  const key = path[i] as string;
  if (i === end - 1) {
    const value = leaf(node[key], element);
    if (value === undefined && node[key] === undefined) return node;
    return withKey(node, key, value, own);
  }
  const child = node[key];
  if (child === undefined || child === null) return node;
  const next = descend(child, path, i + 1, end, leaf, element, own);
  return next === child ? node : withKey(node, key, next, own);
}

/** `node` with `key` set: in place when owned, else a copy (spread, then assign). */
function withKey(node: Row, key: string, value: unknown, own: boolean): Row {
  if (own) {
    node[key] = value;
    return node;
  }
  const copy = { ...node };
  copy[key] = value;
  return copy;
}

function descend(
  node: unknown,
  path: readonly string[],
  i: number,
  end: number,
  leaf: Leaf,
  element: Row | undefined,
  own: boolean,
) {
  if (path[i] === ELEMENT) {
    if (!Array.isArray(node)) return node;
    if (i === end - 1) return node.map((v) => leaf(v, element));
    if (own) {
      for (let k = 0; k < node.length; k++) {
        const v = node[k];
        if (isRecord(v)) edited(v, path, i + 1, end, leaf, v, true);
      }
      return node;
    }
    return node.map((v) => (isRecord(v) ? edited(v, path, i + 1, end, leaf, v, false) : v));
  }
  return isRecord(node) ? edited(node, path, i, end, leaf, element, own) : node;
}

/**
 * The owned form of `edited`: changes the caller's working copy in place, without the copies' bookkeeping
 * (the same result: a changed array of values is still replaced by a new array).
 */
function editOwned(
  node: Row,
  path: readonly string[],
  i: number,
  end: number,
  leaf: Leaf,
  element: Row | undefined,
): void {
  const key = path[i] as string;
  if (i === end - 1) {
    const value = leaf(node[key], element);
    if (value !== undefined || node[key] !== undefined) node[key] = value;
    return;
  }
  const child = node[key];
  if (child === undefined || child === null) return;
  if (path[i + 1] !== ELEMENT) {
    if (isRecord(child)) editOwned(child, path, i + 1, end, leaf, element);
    return;
  }
  if (!Array.isArray(child)) return;
  if (i + 2 === end) {
    node[key] = child.map((v) => leaf(v, element));
    return;
  }
  for (let k = 0; k < child.length; k++) {
    const v = child[k];
    if (isRecord(v)) editOwned(v, path, i + 2, end, leaf, v);
  }
}

/** Applies an edit at `path[0..end)` to the step's own root object. */
function editRoot(out: Row, path: readonly string[], end: number, leaf: Leaf, own: boolean): void {
  if (own) {
    editOwned(out, path, 0, end, leaf, undefined);
    return;
  }
  const key = path[0] as string;
  if (end === 1) {
    const value = leaf(out[key], undefined);
    if (value !== undefined || out[key] !== undefined) out[key] = value;
    return;
  }
  const child = out[key];
  if (child === undefined || child === null) return;
  const next = descend(child, path, 1, end, leaf, undefined, own);
  if (next !== child) out[key] = next;
}

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

/** Reads the value at `path[start..]` (a path without arrays); `undefined` when any step is missing. */
export function getIn(doc: unknown, path: readonly string[], start = 0): unknown {
  let node = doc;
  for (let i = start; i < path.length; i++) {
    if (!isRecord(node)) return undefined;
    node = node[path[i] as string];
  }
  return node;
}

/** `node` with `value` at `path[i..]`, creating missing parents (the value must land somewhere). */
function put(node: Row, path: readonly string[], i: number, value: unknown, own: boolean): Row {
  const key = path[i] as string;
  if (i === path.length - 1) return withKey(node, key, value, own);
  const child = node[key];
  return withKey(
    node,
    key,
    put(isRecord(child) ? child : {}, path, i + 1, value, own || !isRecord(child)),
    own,
  );
}

/**
 * Writes `value` at a path without arrays, creating missing parents; an `undefined` value writes nothing.
 *
 * @example
 * putIn(out, ['address', 'city'], old.city); // plunge a detached top-level field
 */
export function putIn(out: Row, path: readonly string[], value: unknown, owned = false): void {
  if (value === undefined) return;
  const key = path[0] as string;
  if (path.length === 1) out[key] = value;
  else {
    const child = out[key];
    out[key] = isRecord(child) ? put(child, path, 1, value, owned) : put({}, path, 1, value, true);
  }
}

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

/** An element with a value moved from `from[s..]` to `to[s..]`. */
function movedCopy(el: Row, from: readonly string[], to: readonly string[], s: number, own: boolean): Row {
  const value = getIn(el, from, s);
  let next = descend(el, from, s, from.length, () => undefined, undefined, own) as Row;
  if (value !== undefined) next = put(next, to, s, value, own);
  return next;
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
  const child = node[from[i] as string];
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
      const value = el[fromKey];
      if (value !== undefined) {
        el[fromKey] = undefined;
        el[toKey] = value;
      }
    }
  }
}

/**
 * Moves a value from one path to another (a rename, or a move between nesting levels). Both paths must
 * step through the same arrays; inside them the move happens per element.
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
  editRoot(out, from, from.length, () => undefined, owned);
  putIn(out, to, value, owned);
}

/**
 * Calls a user transform; a missing one is a TODO (`TODO_TRANSFORM`), and a transform that throws becomes
 * `TRANSFORM_FAILED` naming the path.
 *
 * @example
 * out.slug = call(t.slug, 'Event.slug', old);
 */
export function call(transform: Transform | undefined, path: string, old: unknown): unknown {
  if (transform === undefined) {
    throw new EvolveError(
      'TODO_TRANSFORM',
      `${path} needs a transform (no default and no derivable value): write it in the migration's transforms`,
      { path },
    );
  }
  try {
    return transform(old as Row);
  } catch (error) {
    if (error instanceof EvolveError) throw error;
    throw new EvolveError('TRANSFORM_FAILED', `the transform for ${path} threw: ${String(error)}`, {
      path,
      cause: error,
    });
  }
}

/** A change the generator could not express: throws `TODO_TRANSFORM` with what to write. */
export function todo(path: string, hint: string): never {
  throw new EvolveError('TODO_TRANSFORM', `${path}: ${hint}; edit the migration's documents section`, {
    path,
  });
}

/** A value without `undefined` members in its plain objects, at any depth (the same value when clean). */
export function cleanValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = cleanValue(v);
      if (c !== v) {
        out ??= value.slice();
        out[i] = c;
      }
    }
    return out ?? value;
  }
  return isPlain(value) ? clean(value) : value;
}

/** A plain object (not a Date, ObjectId or other class instance, which `clean` leaves alone). */
function isPlain(value: unknown): value is Row {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `doc` without members whose value is `undefined`, at any depth (the same object when there are none).
 *
 * @example
 * clean({ a: 1, b: undefined }); // { a: 1 }
 */
export function clean(doc: Row): Row {
  let dirty = false;
  for (const key in doc) {
    const v = doc[key];
    if (v === undefined || (typeof v === 'object' && v !== null && cleanValue(v) !== v)) {
      dirty = true;
      break;
    }
  }
  return dirty ? cleanWith(doc) : doc;
}

/** A clean copy of `doc` (see `clean`) with `key` set to `value`: the last touch of an upgrade. */
export function cleanWith(doc: Row, key?: string, value?: unknown): Row {
  const out: Row = {};
  for (const k in doc) {
    const v = doc[k];
    if (v === undefined || k === key) continue;
    const c = typeof v === 'object' && v !== null ? cleanValue(v) : v;
    // a stored member named `__proto__` is data: assigned, it would replace the copy's prototype
    if (k === '__proto__') setOwn(out, k, c);
    else out[k] = c;
  }
  if (key !== undefined) out[key] = value;
  return out;
}

/** Whether an object has any member (a step's transforms: when there are none, `old` needs no copy). */
export function hasAny(t: object): boolean {
  for (const _ in t) return true;
  return false;
}

/**
 * Whether a migration gives a transform for a field: a generator-written `todo()` placeholder does not
 * count where the document step can derive the value itself (a checked conversion, a default).
 */
export function given(transform: Transform | undefined): transform is Transform {
  return transform !== undefined && !isTodo(transform);
}
