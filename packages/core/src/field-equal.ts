import { deepEqual } from './deep-equal.ts';
import type { FieldSnapshot, TypeSnapshot } from './snapshot-types.ts';

/**
 * Equality of two field records, specialised for snapshot fields (the hot path of diffing large
 * schemas where most models did not change). Same result as `deepEqual`.
 */
export function fieldsEqual(a: Record<string, FieldSnapshot>, b: Record<string, FieldSnapshot>): boolean {
  if (a === b) return true;
  // counting with for-in allocates no key arrays (this runs for every field of every unchanged model)
  let count = 0;
  for (const key in a) {
    const y = b[key];
    if (y === undefined || !fieldEqual(a[key] as FieldSnapshot, y)) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

export function fieldEqual(x: FieldSnapshot, y: FieldSnapshot): boolean {
  if (x === y) return true;
  if (
    x.nullable !== y.nullable ||
    x.optional !== y.optional ||
    x.column !== y.column ||
    x.sqlType !== y.sqlType ||
    x.generated !== y.generated
  ) {
    return false;
  }
  if (x.default !== y.default && !deepEqual(x.default, y.default)) return false;
  return typeEqual(x.type, y.type);
}

function typeEqual(a: TypeSnapshot, b: TypeSnapshot): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'string':
      return (
        a.maxLength === (b as typeof a).maxLength &&
        a.format === (b as typeof a).format &&
        a.unbounded === (b as typeof a).unbounded
      );
    case 'number':
      return a.integer === (b as typeof a).integer;
    case 'literal':
      return a.value === (b as typeof a).value;
    case 'enum': {
      const v = (b as typeof a).values;
      if (a.values.length !== v.length) return false;
      for (let i = 0; i < v.length; i++) if (a.values[i] !== v[i]) return false;
      return true;
    }
    case 'array':
      return fieldEqual(a.element, (b as typeof a).element);
    case 'object':
      return fieldsEqual(a.fields, (b as typeof a).fields);
    default:
      return true;
  }
}
