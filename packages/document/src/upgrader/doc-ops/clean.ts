import { type Row, setOwn } from '@evolve/core';

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
