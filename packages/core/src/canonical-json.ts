import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and `undefined` members omitted, so that equal values
 * serialize to equal bytes whatever the key order they were built in.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: 2, c: undefined } }); // '{"a":{"d":2},"b":1}'
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * sha256 hex digest of a string.
 *
 * @example
 * sha256(canonicalJson(snapshot.models)); // 64 hex digits
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Deep structural equality over JSON-like data (key order ignored).
 *
 * @example
 * jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }); // true
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Deep-freezes plain data in place and returns it.
 *
 * @example
 * const changes = deepFreeze([{ kind: 'addField', path: ['email'] }]);
 * Object.isFrozen(changes[0]); // true
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) freezeTree(value);
  return value;
}

/** Freezes an unfrozen object and what it holds: members are tested here, so primitives cost no call. */
function freezeTree(value: object): void {
  Object.freeze(value);
  // indexed and for-in walks allocate no array of values (this runs over every change of a diff)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) freezeTree(v);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const v = record[key];
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v) && Object.hasOwn(record, key))
      freezeTree(v);
  }
}
