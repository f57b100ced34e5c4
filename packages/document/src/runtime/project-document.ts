import type { Row } from '@evolve/core';
import { isPlainObject } from './filter.ts';

/** A MongoDB-style projection: `{ name: 1 }` keeps fields, `{ secret: 0 }` drops them; `_id` stays unless 0. */
export type Projection = Readonly<Record<string, 0 | 1 | boolean>>;

function pick(doc: Row, path: string, into: Row): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined || !(head in doc)) return;
  const value = doc[head];
  if (rest.length === 0) {
    into[head] = value;
  } else if (isPlainObject(value)) {
    const child = isPlainObject(into[head]) ? (into[head] as Row) : {};
    pick(value, rest.join('.'), child);
    into[head] = child;
  }
}

function drop(doc: Row, path: string): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) delete doc[head];
  else if (isPlainObject(doc[head])) drop(doc[head] as Row, rest.join('.'));
}

/**
 * Applies a projection to an (already upgraded) document in memory, so projections work on any
 * stored version: the full document is read, upgraded, then projected.
 *
 * @example
 * projectDocument({ _id: 1, a: 1, b: { c: 2, d: 3 } }, { 'b.c': 1 }) // { _id: 1, b: { c: 2 } }
 */
export function projectDocument(doc: Row, projection: Projection): Row {
  const entries = Object.entries(projection);
  const including = entries.some(([path, on]) => path !== '_id' && Boolean(on));
  if (including) {
    const out: Row = {};
    if (projection._id === undefined || projection._id) pick(doc, '_id', out);
    for (const [path, on] of entries) if (on && path !== '_id') pick(doc, path, out);
    return out;
  }
  const out = structuredClone(doc);
  for (const [path, on] of entries) if (!on) drop(out, path);
  return out;
}
