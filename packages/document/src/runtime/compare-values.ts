/** Type classes in MongoDB's sort order (null < numbers < strings < objects < arrays < booleans). */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' || typeof value === 'bigint') return 1;
  if (typeof value === 'string') return 2;
  if (Array.isArray(value)) return 4;
  if (typeof value === 'boolean') return 5;
  if (value instanceof Date) return 6;
  return 3;
}

/** Orders two stored values: first by type class, then by value within a class. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1 || ra === 2 || ra === 5 || ra === 6) {
    const x = ra === 6 ? (a as Date).getTime() : (a as number | string | boolean);
    const y = rb === 6 ? (b as Date).getTime() : (b as number | string | boolean);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Objects, arrays and ids (ObjectId has toHexString, so String() keeps creation order).
  const sa =
    typeof (a as { toHexString?: unknown }).toHexString === 'function' ? String(a) : JSON.stringify(a);
  const sb =
    typeof (b as { toHexString?: unknown }).toHexString === 'function' ? String(b) : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Whether two stored values are equal (deep for plain data, by string form for ids such as ObjectId). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => valuesEqual(x, bb[i]));
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  const ha = typeof (a as { toHexString?: unknown }).toHexString === 'function';
  const hb = typeof (b as { toHexString?: unknown }).toHexString === 'function';
  if (ha || hb) return ha && hb && String(a) === String(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
