import type { Row } from '@evolve/core';

/**
 * The first path (member names, array indexes) at which two documents differ, or `undefined` when they
 * are the same document: `undefined` members count as absent, dates compare by time, everything else by
 * `===` (0 equals -0, as it does once stored as JSON), except that NaN equals NaN. An empty path means the
 * values differ as a whole.
 *
 * @example
 * firstDifference({ a: { b: 1 } }, { a: { b: 2 } }); // ['a', 'b']
 */
export function firstDifference(a: unknown, b: unknown): string[] | undefined {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime() ? undefined : [];
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [];
  if (Array.isArray(a) !== Array.isArray(b)) return [];
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    for (let i = 0; i < Math.max(a.length, bb.length); i++) {
      const inner = i < a.length && i < bb.length ? firstDifference(a[i], bb[i]) : [];
      if (inner) return [String(i), ...inner];
    }
    return undefined;
  }
  const ra = a as Row;
  const rb = b as Row;
  for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const inner = firstDifference(ra[key], rb[key]);
    if (inner) return [key, ...inner];
  }
  return undefined;
}
