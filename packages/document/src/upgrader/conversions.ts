import { EvolveError, type JsonValue } from '@evolve/core';
import { own } from './doc-ops/own.ts';

/**
 * Value conversions between field types, used by generated `up`/`down` functions and the interpreter.
 * Each takes the value and the field's path (for errors); checked conversions throw `TRANSFORM_FAILED`
 * rather than lose information silently.
 */

function refuse(path: string, value: unknown, why: string): never {
  throw new EvolveError('TRANSFORM_FAILED', `${path}: cannot convert ${show(value)}: ${why}`, { path });
}

function show(value: unknown): string {
  try {
    const text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/** `42` -> `'42'`. */
export function numberToString(value: unknown, path: string): string {
  if (typeof value !== 'number') refuse(path, value, 'not a number');
  return String(value);
}

/** `'42'` -> `42`, only when the text is exactly the number's own form (so it converts back unchanged). */
export function stringToNumber(value: unknown, path: string, integer = false): number {
  if (typeof value !== 'string') refuse(path, value, 'not a string');
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || String(n) !== value) {
    refuse(path, value, 'not the exact text of a number');
  }
  if (integer && !Number.isInteger(n)) refuse(path, value, 'not an integer');
  return n;
}

/** Checks that a number is an integer (float -> int). */
export function toInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) refuse(path, value, 'not an integer');
  return value;
}

/** `true` -> `'true'`. */
export function booleanToString(value: unknown, path: string): string {
  if (typeof value !== 'boolean') refuse(path, value, 'not a boolean');
  return String(value);
}

/** `'true'` / `'false'` -> boolean. */
export function stringToBoolean(value: unknown, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return refuse(path, value, "not 'true' or 'false'");
}

/** `12n` -> `'12'`. */
export function bigintToString(value: unknown, path: string): string {
  if (typeof value !== 'bigint') refuse(path, value, 'not a bigint');
  return value.toString();
}

/** `'12'` -> `12n`. */
export function stringToBigint(value: unknown, path: string): bigint {
  if (typeof value !== 'string' || !/^-?(0|[1-9]\d*)$/.test(value))
    refuse(path, value, 'not an integer text');
  return BigInt(value);
}

/** An integer number -> bigint. */
export function numberToBigint(value: unknown, path: string): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) refuse(path, value, 'not a safe integer');
  return BigInt(value);
}

/** A bigint within the safe integer range -> number. */
export function bigintToNumber(value: unknown, path: string): number {
  if (typeof value !== 'bigint') refuse(path, value, 'not a bigint');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) refuse(path, value, 'outside the safe integer range');
  return n;
}

/** A Date -> its ISO text. */
export function dateToString(value: unknown, path: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) refuse(path, value, 'not a valid date');
  return value.toISOString();
}

/** ISO text -> Date. */
export function stringToDate(value: unknown, path: string): Date {
  const d = typeof value === 'string' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) refuse(path, value, 'not a date text');
  return d;
}

/** Checks that a value is one of the allowed ones (string -> enum, enum or literal narrowing). */
export function oneOf<T extends JsonValue>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) refuse(path, value, `not one of ${allowed.map(show).join(', ')}`);
  return value as T;
}

/** Checks a string's length against a narrower maximum. */
export function maxLength(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) refuse(path, value, `longer than ${max}`);
  return value;
}

/** `x` -> `[x]`. */
export function wrapArray<T>(value: T, _path: string): T[] {
  return [value];
}

/** `[x]` -> `x`; an array of any other length cannot be unwrapped without loss. */
export function unwrapArray(value: unknown, path: string): unknown {
  if (!Array.isArray(value) || value.length !== 1) refuse(path, value, 'not an array of exactly one element');
  return value[0];
}

/** `x` -> `{ ...extras, [key]: x }` (a scalar becomes an object; other members get their defaults). */
export function wrapObject(
  value: unknown,
  _path: string,
  key: string,
  extras: Record<string, JsonValue> = {},
) {
  const out: Record<string, unknown> = {};
  for (const name in extras) {
    const v = extras[name];
    out[name] = typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
  }
  out[key] = value;
  return out;
}

/** `{ key: x, ... }` -> `x` (the other members are lost). */
export function unwrapObject(value: unknown, path: string, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse(path, value, 'not an object');
  return own(value as Record<string, unknown>, key);
}
