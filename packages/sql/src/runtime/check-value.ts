import type { FieldSnapshot } from '@evolve/core';

/**
 * What is wrong with a transform's result for the field it fills, or undefined when it fits:
 * the type's kind, enum members, integers, and NULL only where the field allows it. Pure.
 *
 * @example
 * checkValue({ amount: 1 }, { type: { kind: 'string' }, nullable: false, optional: false }) // 'expected a string, got an object'
 */
export function checkValue(value: unknown, field: FieldSnapshot): string | undefined {
  if (value === undefined || value === null) {
    return field.nullable || field.optional || field.default !== undefined
      ? undefined
      : 'the field is required, got nothing';
  }
  const type = field.type;
  const got = Array.isArray(value) ? 'an array' : value instanceof Date ? 'a date' : `a ${typeof value}`;
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${got}`;
      if (type.maxLength !== undefined && value.length > type.maxLength) {
        return `the string is longer than ${type.maxLength} characters`;
      }
      return undefined;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}, got ${JSON.stringify(value)}`;
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${got}`;
      return type.integer && !Number.isInteger(value) ? `expected an integer, got ${value}` : undefined;
    case 'bigint':
      return typeof value === 'bigint' ||
        Number.isInteger(value) ||
        (typeof value === 'string' && /^-?\d+$/.test(value))
        ? undefined
        : `expected an integer, got ${got}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, got ${got}`;
    case 'date':
      return value instanceof Date || (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
        ? undefined
        : `expected a date, got ${got}`;
    case 'literal':
      return value === type.value
        ? undefined
        : `expected ${JSON.stringify(type.value)}, got ${JSON.stringify(value)}`;
    case 'array':
      return Array.isArray(value) ? undefined : `expected an array, got ${got}`;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `expected an object, got ${got}`;
    case 'json':
      return undefined;
  }
}
