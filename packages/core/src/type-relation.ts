import { deepEqual } from './deep-equal.ts';
import type { TypeSnapshot } from './snapshot-types.ts';

/**
 * How a value type changed: `widening` (every old value is a valid new value), `narrowing` (every new
 * value is a valid old value), `equal`, or `unrelated`. `convert` marks a widening whose stored values
 * must be rewritten (a number becomes its string form; a scalar column becomes JSON or an array).
 */
export interface TypeRelation {
  relation: 'equal' | 'widening' | 'narrowing' | 'unrelated';
  convert: boolean;
}

const same = (relation: TypeRelation['relation'], convert = false): TypeRelation => ({ relation, convert });

/**
 * The longest `String(x)` of each number kind: a safe integer (`-9007199254740991`), a 64-bit bigint
 * (`-9223372036854775808`, the SQL column's range), a double (`-0.0000012345678901234567`: 17 significant
 * digits in fixed notation, which JS keeps down to 1e-6).
 */
const LONGEST_TEXT = { integer: 17, bigint: 20, float: 25 };

/** Whether a string type holds the text of every value of a number kind (a conversion that widens). */
const holdsText = (b: TypeSnapshot & { kind: 'string' }, longest: number) =>
  b.format === undefined && (b.maxLength === undefined || b.maxLength >= longest);

/** Whether every value of `a` is a value of `b`, and whether stored values need converting. */
function widens(a: TypeSnapshot, b: TypeSnapshot): { ok: boolean; convert: boolean } {
  const yes = { ok: true, convert: false };
  const no = { ok: false, convert: false };
  if (b.kind === 'json') {
    return { ok: true, convert: a.kind !== 'object' && a.kind !== 'array' };
  }
  switch (a.kind) {
    case 'string':
      if (b.kind !== 'string') return no;
      // a string without the unbounded mark may have been held to 255 characters: an unbounded one may not fit
      if (a.unbounded && !b.unbounded && b.maxLength === undefined) return no;
      return (b.maxLength === undefined || (a.maxLength !== undefined && b.maxLength >= a.maxLength)) &&
        (b.format === undefined || b.format === a.format)
        ? yes
        : no;
    case 'number':
      if (b.kind === 'number') return a.integer || !b.integer ? yes : no;
      if (b.kind === 'bigint') return a.integer ? yes : no;
      if (b.kind === 'string')
        return holdsText(b, a.integer ? LONGEST_TEXT.integer : LONGEST_TEXT.float)
          ? { ok: true, convert: true }
          : no;
      return no;
    case 'bigint':
      if (b.kind === 'string') return holdsText(b, LONGEST_TEXT.bigint) ? { ok: true, convert: true } : no;
      return no;
    case 'enum':
      if (b.kind === 'enum') return a.values.every((v) => b.values.includes(v)) ? yes : no;
      if (b.kind === 'string') {
        const longest = Math.max(...a.values.map((v) => v.length));
        return b.format === undefined && (b.maxLength === undefined || b.maxLength >= longest) ? yes : no;
      }
      return no;
    case 'literal': {
      const v = a.value;
      if (b.kind === 'literal') return v === b.value ? yes : no;
      if (typeof v === 'string') {
        if (b.kind === 'enum') return b.values.includes(v) ? yes : no;
        if (b.kind === 'string')
          return b.format === undefined && (b.maxLength ?? Infinity) >= v.length ? yes : no;
      }
      if (typeof v === 'number' && b.kind === 'number') return Number.isInteger(v) || !b.integer ? yes : no;
      if (typeof v === 'boolean' && b.kind === 'boolean') return yes;
      return no;
    }
    case 'boolean':
    case 'date':
      return b.kind === a.kind ? yes : no;
    default:
      // arrays and objects are compared field by field by diff; as whole types only equality counts
      return deepEqual(a, b) ? yes : no;
  }
}

/**
 * Classifies a type change. A scalar becoming an array of a type it widens to counts as a widening
 * that converts stored values (`x` -> `[x]`).
 *
 * @example
 * typeRelation({ kind: 'number', integer: true }, { kind: 'number', integer: false }); // widening
 */
export function typeRelation(from: TypeSnapshot, to: TypeSnapshot): TypeRelation {
  if (deepEqual(from, to)) return same('equal');
  if (from.kind === 'enum' && to.kind === 'enum' && from.values.length === to.values.length) {
    // the same values in another order
    if (from.values.every((v) => to.values.includes(v))) return same('equal');
  }
  const up = widens(from, to);
  if (up.ok) return same('widening', up.convert);
  if (widens(to, from).ok) return same('narrowing');
  if (to.kind === 'array' && from.kind !== 'array' && from.kind !== 'object') {
    const inner = widens(from, to.element.type);
    if (inner.ok) return same('widening', true);
  }
  return same('unrelated');
}
