import { EvolveError, type Row } from '@evolve/core';
import { isPlainObject } from './filter.ts';

/** The update operators the runtime supports: `$set`, `$unset` and `$inc` on (dotted) paths. */
export interface UpdateSpec {
  $set?: Record<string, unknown>;
  $unset?: Record<string, unknown>;
  $inc?: Record<string, number>;
}

const SUPPORTED = new Set(['$set', '$unset', '$inc']);

/** Checks that an update uses only `$set`, `$unset`, `$inc` (EvolveError UNSUPPORTED_CHANGE otherwise). */
export function assertUpdateSpec(update: object): asserts update is UpdateSpec {
  const keys = Object.keys(update);
  if (keys.length === 0) throw new EvolveError('UNSUPPORTED_CHANGE', 'an update needs at least one operator');
  for (const key of keys) {
    if (!SUPPORTED.has(key)) {
      throw new EvolveError('UNSUPPORTED_CHANGE', `update operator ${key} is not supported`, { path: key });
    }
  }
}

function parentOf(doc: Row, path: string, create: boolean): [Record<string, unknown>, string] | undefined {
  const segments = path.split('.');
  let current: Record<string, unknown> = doc;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (isPlainObject(next)) {
      current = next;
    } else if (next === undefined && create) {
      const created: Record<string, unknown> = {};
      current[segment] = created;
      current = created;
    } else if (next === undefined) {
      return undefined;
    } else {
      throw new EvolveError('UNSUPPORTED_CHANGE', `cannot update ${path}: ${segment} is not an object`, {
        path,
      });
    }
  }
  return [current, segments[segments.length - 1]!];
}

/**
 * Applies an update to a copy of a document and returns the copy (the input is not changed).
 *
 * @example
 * applyUpdate({ _id: 'a', n: 1 }, { $inc: { n: 1 }, $set: { 'x.y': true } }) // { _id: 'a', n: 2, x: { y: true } }
 */
export function applyUpdate(doc: Row, update: UpdateSpec): Row {
  const copy = structuredClone(doc);
  for (const [path, value] of Object.entries(update.$set ?? {})) {
    const [parent, key] = parentOf(copy, path, true)!;
    parent[key] = structuredClone(value);
  }
  for (const path of Object.keys(update.$unset ?? {})) {
    const found = parentOf(copy, path, false);
    if (found) delete found[0][found[1]];
  }
  for (const [path, by] of Object.entries(update.$inc ?? {})) {
    const [parent, key] = parentOf(copy, path, true)!;
    const current = parent[key] ?? 0;
    if (typeof current !== 'number') {
      throw new EvolveError('UNSUPPORTED_CHANGE', `cannot $inc ${path}: it holds a non-number`, { path });
    }
    parent[key] = current + by;
  }
  return copy;
}
