import type { FieldSnapshot, JsonValue, TypeSnapshot } from '@evolve/core';
import type * as conversions from './conversions.ts';

/** One conversion call: `conversions[fn](value, path, ...args)`. */
export interface ConversionStep {
  fn: keyof typeof conversions;
  args: JsonValue[];
}

/**
 * How stored values move from one type to another. `total`: never throws for a valid old value.
 * `lossless`: converting back with the reverse plan gives the old value again.
 */
export interface ConversionPlan {
  steps: ConversionStep[];
  total: boolean;
  lossless: boolean;
}

const plan = (steps: ConversionStep[], total: boolean, lossless = total): ConversionPlan => ({
  steps,
  total,
  lossless,
});
const step = (fn: ConversionStep['fn'], ...args: JsonValue[]): ConversionStep => ({ fn, args });
const SAME = plan([], true);

function stringLimits(to: TypeSnapshot & { kind: 'string' }, longest?: number): ConversionStep[] {
  if (to.maxLength === undefined || (longest !== undefined && longest <= to.maxLength)) return [];
  return [step('maxLength', to.maxLength)];
}

function intoString(from: TypeSnapshot, to: TypeSnapshot & { kind: 'string' }): ConversionPlan | undefined {
  const check = (steps: ConversionStep[], longest?: number) => {
    const limits = stringLimits(to, longest);
    if (to.format !== undefined) return undefined;
    return plan([...steps, ...limits], limits.length === 0);
  };
  switch (from.kind) {
    case 'string': {
      const limits = stringLimits(to, from.maxLength);
      const formatOk = to.format === undefined || to.format === from.format;
      return plan(limits, limits.length === 0 && formatOk, true);
    }
    case 'number':
      return check([step('numberToString')]);
    case 'bigint':
      return check([step('bigintToString')]);
    case 'boolean':
      return check([step('booleanToString')], 5);
    case 'date':
      return check([step('dateToString')], 24);
    case 'enum':
      return check([], Math.max(0, ...from.values.map((v) => v.length)));
    case 'literal':
      return typeof from.value === 'string' ? check([], from.value.length) : undefined;
    default:
      return undefined;
  }
}

function fromString(from: TypeSnapshot & { kind: 'string' }, to: TypeSnapshot): ConversionPlan | undefined {
  void from;
  switch (to.kind) {
    case 'number':
      return plan([step('stringToNumber', to.integer)], false);
    case 'bigint':
      return plan([step('stringToBigint')], false);
    case 'boolean':
      return plan([step('stringToBoolean')], false);
    case 'date':
      return plan([step('stringToDate')], false);
    case 'enum':
      return plan([step('oneOf', to.values)], false);
    case 'literal':
      return plan([step('oneOf', [to.value])], false);
    default:
      return undefined;
  }
}

const isScalar = (t: TypeSnapshot) => t.kind !== 'array' && t.kind !== 'object' && t.kind !== 'json';

/** The member of an object type that holds a scalar: the only one of the same kind, or the only required one. */
function hostOf(
  fields: Record<string, FieldSnapshot>,
  scalar: TypeSnapshot,
  direction: 'in' | 'out',
): string | undefined {
  const fits = Object.keys(fields).filter((k) => {
    const f = fields[k] as FieldSnapshot;
    const p = direction === 'in' ? planConversion(scalar, f.type) : planConversion(f.type, scalar);
    return p?.total;
  });
  const sameKind = fits.filter((k) => fields[k]?.type.kind === scalar.kind);
  if (sameKind.length === 1) return sameKind[0];
  if (fits.length === 1) return fits[0];
  const required = fits.filter((k) => !fields[k]?.optional && fields[k]?.default === undefined);
  return required.length === 1 ? required[0] : undefined;
}

/** The value an object member gets when a scalar is wrapped: its default, null, or absent. */
function memberFill(field: FieldSnapshot): { value: JsonValue } | 'absent' | undefined {
  if (field.default && 'value' in field.default) return { value: field.default.value };
  if (field.optional) return 'absent';
  if (field.nullable) return { value: null };
  return undefined;
}

function toObject(from: TypeSnapshot, to: TypeSnapshot & { kind: 'object' }): ConversionPlan | undefined {
  const host = hostOf(to.fields, from, 'in');
  if (host === undefined) return undefined;
  const inner = planConversion(from, (to.fields[host] as FieldSnapshot).type);
  if (!inner) return undefined;
  const extras: Record<string, JsonValue> = {};
  for (const [name, field] of Object.entries(to.fields)) {
    if (name === host) continue;
    const fill = memberFill(field);
    if (fill === undefined) return undefined;
    if (fill !== 'absent') extras[name] = fill.value;
  }
  return plan([...inner.steps, step('wrapObject', host, extras)], inner.total, inner.lossless);
}

function fromObject(from: TypeSnapshot & { kind: 'object' }, to: TypeSnapshot): ConversionPlan | undefined {
  const host = hostOf(from.fields, to, 'out');
  if (host === undefined) return undefined;
  const field = from.fields[host] as FieldSnapshot;
  const inner = planConversion(field.type, to);
  if (!inner) return undefined;
  const total = inner.total && !field.optional && !field.nullable;
  return plan([step('unwrapObject', host), ...inner.steps], total, Object.keys(from.fields).length === 1);
}

/**
 * How stored values convert from one field type to another, or `undefined` when no safe conversion
 * exists (the change then needs a transform). Widening conversions (int -> float, number -> string,
 * x -> [x], scalar -> object) are total; narrowing ones are checked per value.
 *
 * @example
 * planConversion({ kind: 'number', integer: true }, { kind: 'string' }); // numberToString, total
 */
export function planConversion(from: TypeSnapshot, to: TypeSnapshot): ConversionPlan | undefined {
  if (JSON.stringify(from) === JSON.stringify(to)) return SAME;
  if (to.kind === 'json') return from.kind === 'json' ? SAME : plan([], true);
  if (from.kind === 'json') return plan([], false);
  const text =
    to.kind === 'string' ? intoString(from, to) : from.kind === 'string' ? fromString(from, to) : undefined;
  if (text) return text;
  switch (from.kind) {
    case 'number':
      if (to.kind === 'number') return from.integer || !to.integer ? SAME : plan([step('toInteger')], false);
      if (to.kind === 'bigint')
        return from.integer ? plan([step('numberToBigint')], true) : plan([step('numberToBigint')], false);
      break;
    case 'bigint':
      if (to.kind === 'number') return plan([step('bigintToNumber')], false);
      break;
    case 'enum':
      if (to.kind === 'enum') {
        const subset = from.values.every((v) => to.values.includes(v));
        return subset ? SAME : plan([step('oneOf', to.values)], false);
      }
      break;
    case 'literal':
      if (to.kind === 'enum' && typeof from.value === 'string') {
        return to.values.includes(from.value) ? SAME : undefined;
      }
      if (to.kind === 'number' && typeof from.value === 'number') return SAME;
      if (to.kind === 'boolean' && typeof from.value === 'boolean') return SAME;
      break;
    default:
      break;
  }
  if (to.kind === 'literal' && isScalar(from)) return plan([step('oneOf', [to.value])], false);
  if (to.kind === 'array' && from.kind !== 'array') {
    const inner = planConversion(from, to.element.type);
    if (!inner) return undefined;
    return plan([...inner.steps, step('wrapArray')], inner.total, inner.lossless);
  }
  if (from.kind === 'array' && to.kind !== 'array') {
    const inner = planConversion(from.element.type, to);
    if (!inner) return undefined;
    return plan([step('unwrapArray'), ...inner.steps], false);
  }
  if (to.kind === 'object' && isScalar(from)) return toObject(from, to);
  if (from.kind === 'object' && isScalar(to)) return fromObject(from, to);
  return undefined;
}
