/**
 * Structural equality over JSON-like data (plain objects, arrays, primitives). Object key order is
 * ignored and `undefined` members count as absent, as in canonical JSON. Faster than comparing
 * serializations, which matters when diffing large schemas.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  if (ka.length === Object.keys(rb).length) {
    // fast path: same key count, so every key of a must be in b with an equal value
    for (const key of ka) {
      const v = ra[key];
      const w = rb[key];
      if (v === undefined || w === undefined) return slowEqual(ra, rb);
      if (!deepEqual(v, w)) return false;
    }
    return true;
  }
  return slowEqual(ra, rb);
}

/** Object equality where `undefined` members count as absent. */
function slowEqual(ra: Record<string, unknown>, rb: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in ra) {
    const v = ra[key];
    if (v === undefined) continue;
    count++;
    if (!deepEqual(v, rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}

/** A deep copy of JSON-like data, unfrozen, so that working copies can be edited in place. */
export function cloneData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = cloneData(v);
  }
  return out as T;
}
