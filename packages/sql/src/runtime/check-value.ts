import type { FieldSnapshot } from '@evolve/core';

/** The range of the 32-bit `integer` column a model integer gets without an `sqlType`. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What is wrong with a transform's result for the field it fills, or undefined when it fits: the type's
 * kind, finite numbers, integers within the column's range, strings within their maximum length (in
 * characters, as the engines count), UUIDs, valid dates, enum members, nested object fields and array
 * elements, NULL only where the field allows it, and JSON that survives serialization (no NaN, Infinity,
 * functions or undefined array entries, which JSON would silently turn into null). Without a field (a
 * transform whose target the history does not describe) only that last check applies. Pure.
 *
 * @example
 * checkValue({ amount: 1 }, { type: { kind: 'string' }, nullable: false, optional: false }) // 'expected a string, got an object'
 * checkValue(Number.NaN, { type: { kind: 'number', integer: false }, nullable: false, optional: false }) // 'expected a finite number, got NaN'
 */
export function checkValue(value: unknown, field: FieldSnapshot | undefined): string | undefined {
  if (!field) return value === undefined || value === null ? undefined : jsonProblem(value, '');
  return fieldProblem(value, field, '');
}

function fieldProblem(value: unknown, field: FieldSnapshot, at: string): string | undefined {
  const where = at ? ` at ${at}` : '';
  if (value === undefined || value === null) {
    return field.nullable || field.optional || field.default !== undefined
      ? undefined
      : `the field${where} is required, got nothing`;
  }
  const problem = typeProblem(value, field);
  return problem ? `${problem}${where}` : nestedProblem(value, field, at);
}

function typeProblem(value: unknown, field: FieldSnapshot): string | undefined {
  const type = field.type;
  switch (type.kind) {
    case 'string': {
      if (typeof value !== 'string') return `expected a string, got ${describe(value)}`;
      // Engines count characters (code points), JavaScript counts UTF-16 units: count as they do.
      if (type.maxLength !== undefined && value.length > type.maxLength) {
        const length = [...value].length;
        if (length > type.maxLength) {
          return `the string is ${length} characters long, longer than ${type.maxLength}`;
        }
      }
      if (type.format === 'uuid' && !UUID.test(value)) return `expected a UUID, got ${JSON.stringify(value)}`;
      return textProblem(value);
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}, got ${show(value)}`;
    case 'number':
      if (typeof value !== 'number') return `expected a number, got ${describe(value)}`;
      if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
      if (!type.integer) return undefined;
      if (!Number.isInteger(value)) return `expected an integer, got ${value}`;
      return field.sqlType === undefined && (value < INT_MIN || value > INT_MAX)
        ? `${value} is outside the integer column's range (${INT_MIN} to ${INT_MAX})`
        : undefined;
    case 'bigint':
      return bigintProblem(value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, got ${describe(value)}`;
    case 'date':
      if (value instanceof Date)
        return Number.isNaN(value.getTime()) ? 'expected a date, got an invalid date' : undefined;
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : `expected a date, got ${typeof value === 'string' ? JSON.stringify(value) : describe(value)}`;
    case 'literal':
      return value === type.value ? undefined : `expected ${JSON.stringify(type.value)}, got ${show(value)}`;
    case 'array':
      return Array.isArray(value) ? undefined : `expected an array, got ${describe(value)}`;
    case 'object':
      return isPlainObject(value) ? undefined : `expected an object, got ${describe(value)}`;
    case 'json':
      return undefined;
  }
}

/** Elements and fields of nested data, then what JSON would not carry as it is. */
function nestedProblem(value: unknown, field: FieldSnapshot, at: string): string | undefined {
  const type = field.type;
  if (type.kind === 'array' && Array.isArray(value)) {
    for (const [i, element] of value.entries()) {
      const problem = fieldProblem(element, type.element, `${at}[${i}]`);
      if (problem) return problem;
    }
  }
  if (type.kind === 'object' && isPlainObject(value)) {
    for (const [name, inner] of Object.entries(type.fields)) {
      const problem = fieldProblem(value[name], inner, at ? `${at}.${name}` : name);
      if (problem) return problem;
    }
  }
  return type.kind === 'array' || type.kind === 'object' || type.kind === 'json'
    ? jsonProblem(value, at)
    : undefined;
}

/** What JSON.stringify would drop, change or refuse inside a value. */
function jsonProblem(value: unknown, at: string): string | undefined {
  const where = at ? ` at ${at}` : '';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? undefined : `${value}${where} cannot be stored (not a finite number)`;
    case 'string':
      return textProblem(value, where);
    case 'boolean':
    case 'bigint':
      return undefined;
    case 'function':
    case 'symbol':
    case 'undefined':
      return `${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}${where} cannot be stored`;
  }
  if (value === null || value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    for (const [i, element] of value.entries()) {
      const problem =
        element === undefined
          ? `undefined at ${at}[${i}] would become null`
          : jsonProblem(element, `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(value)) return undefined;
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner === undefined) continue; // dropped by JSON, as an absent key
    const problem = jsonProblem(inner, at ? `${at}.${name}` : name);
    if (problem) return problem;
  }
  return undefined;
}

function bigintProblem(value: unknown): string | undefined {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
  else {
    return typeof value === 'number' && Number.isInteger(value)
      ? `${value} is beyond the integers a number holds exactly: return a bigint or a string`
      : `expected an integer, got ${describe(value)}`;
  }
  return n < BIGINT_MIN || n > BIGINT_MAX ? `${n} is outside the bigint column's range` : undefined;
}

/** Text columns cannot hold NUL characters everywhere: refused on every dialect alike. */
function textProblem(value: string, where = ''): string | undefined {
  return value.includes('\u0000')
    ? `the string${where} contains a NUL character, which cannot be stored`
    : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function show(value: unknown): string {
  return typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : (JSON.stringify(value) ?? String(value));
}
