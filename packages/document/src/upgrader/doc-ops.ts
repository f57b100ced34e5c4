import { EvolveError, type Row, type Transform } from '@evolve/core';

/**
 * Path edits used by generated `up`/`down` functions and by the change interpreter.
 *
 * Every edit takes the step's own shallow copy of the document (`out`) and changes it in place; nested
 * objects and arrays on the way are copied before they are changed, so the input document is never
 * mutated. A path is a list of field names; `'[]'` steps into every element of an array. A value of
 * `undefined` means "absent": the key is deleted rather than set to `undefined`.
 */

/** The array-element path segment. */
export const ELEMENT = '[]';

type Leaf = (value: unknown, element: Row | undefined) => unknown;

const isRecord = (v: unknown): v is Row =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function editKey(target: Row, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Applies `leaf` below `node` (a value already owned by the caller: copies happen in `descend`). */
function descend(
  node: unknown,
  path: readonly string[],
  i: number,
  leaf: Leaf,
  element: Row | undefined,
): unknown {
  const seg = path[i] as string;
  const last = i === path.length - 1;
  if (seg === ELEMENT) {
    if (!Array.isArray(node)) return node;
    if (last) return node.map((v) => leaf(v, element));
    return node.map((v) => (isRecord(v) ? own(v, path, i + 1, leaf, v) : v));
  }
  if (!isRecord(node)) return node;
  return own(node, path, i, leaf, element);
}

function own(node: Row, path: readonly string[], i: number, leaf: Leaf, element: Row | undefined): Row {
  const copy = { ...node };
  editAt(copy, path, i, leaf, element);
  return copy;
}

function editAt(target: Row, path: readonly string[], i: number, leaf: Leaf, element: Row | undefined): void {
  const key = path[i] as string;
  if (i === path.length - 1) {
    editKey(target, key, leaf(target[key], element));
    return;
  }
  const child = target[key];
  if (child === undefined || child === null) return;
  const next = descend(child, path, i + 1, leaf, element);
  if (next !== child) target[key] = next;
}

/**
 * Replaces the value at `path` with `make(current, element)` in every place the path reaches
 * (`element` is the innermost array element on the way, `undefined` outside arrays). Missing parents are
 * not created: an absent optional object stays absent.
 *
 * @example
 * setIn(out, ['address', 'zip'], () => null);
 */
export function setIn(out: Row, path: readonly string[], make: Leaf): void {
  editAt(out, path, 0, make, undefined);
}

/** Like `setIn`, but only where a value is present and not null (absent and null values stay as they are). */
export function updateIn(out: Row, path: readonly string[], fn: Leaf): void {
  editAt(out, path, 0, (v, el) => (v === undefined || v === null ? v : fn(v, el)), undefined);
}

/** Deletes the value at `path` everywhere the path reaches. */
export function removeIn(out: Row, path: readonly string[]): void {
  editAt(out, path, 0, () => undefined, undefined);
}

/** When the value at `path` is missing (`'missing'`), null (`'null'`) or either, replaces it with `make(element)`. */
export function fillIn(
  out: Row,
  path: readonly string[],
  when: 'missing' | 'null' | 'missingOrNull',
  make: (element: Row | undefined) => unknown,
): void {
  const wanted = (v: unknown) => (v === undefined && when !== 'null') || (v === null && when !== 'missing');
  editAt(out, path, 0, (v, el) => (wanted(v) ? make(el) : v), undefined);
}

/** Reads the value at a path without arrays; `undefined` when any step is missing. */
export function getIn(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const seg of path) {
    if (!isRecord(node)) return undefined;
    node = node[seg];
  }
  return node;
}

/** Where a move happens: the shared array scope and the paths inside each element of it. */
export function moveScope(
  from: readonly string[],
  to: readonly string[],
): { scope: string[]; from: string[]; to: string[] } | undefined {
  const lastArray = (p: readonly string[]) => p.lastIndexOf(ELEMENT);
  const a = lastArray(from);
  const b = lastArray(to);
  if (a !== b) return undefined;
  for (let i = 0; i <= a; i++) if (from[i] !== to[i]) return undefined;
  return { scope: from.slice(0, a + 1), from: from.slice(a + 1), to: to.slice(a + 1) };
}

function moveWithin(target: Row, from: readonly string[], to: readonly string[]): void {
  const value = getIn(target, from);
  if (from.length === 1) delete target[from[0] as string];
  else editAt(target, from, 0, () => undefined, undefined);
  if (value === undefined) return;
  // parents of the destination are created when missing: the value must land somewhere
  let node = target;
  for (let i = 0; i < to.length - 1; i++) {
    const key = to[i] as string;
    const child = node[key];
    const copy: Row = isRecord(child) ? { ...child } : {};
    node[key] = copy;
    node = copy;
  }
  node[to[to.length - 1] as string] = value;
}

/**
 * Moves a value from one path to another (a rename, or a move between nesting levels). Both paths must
 * step through the same arrays; inside them the move happens per element.
 *
 * @example
 * moveIn(out, ['city'], ['address', 'city']); // plunge
 */
export function moveIn(out: Row, from: readonly string[], to: readonly string[]): void {
  const scope = moveScope(from, to);
  if (!scope) {
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `cannot move ${from.join('.')} to ${to.join('.')}: the paths cross different arrays`,
      { path: to.join('.') },
    );
  }
  if (scope.scope.length === 0) {
    moveWithin(out, scope.from, scope.to);
    return;
  }
  editAt(
    out,
    scope.scope,
    0,
    (el) => {
      if (!isRecord(el)) return el;
      const copy = { ...el };
      moveWithin(copy, scope.from, scope.to);
      return copy;
    },
    undefined,
  );
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
