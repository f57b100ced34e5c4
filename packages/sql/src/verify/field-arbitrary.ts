import type { FieldSnapshot, ModelSnapshot, TypeSnapshot } from '@evolve/core';
import fc from 'fast-check';

/**
 * A fast-check arbitrary of the values a field holds at one version: its type (string lengths, enum
 * members, integers, uuid/email/date formats, nested objects and arrays), with null where the field is
 * nullable and an absent value where it is optional. Pure.
 *
 * @example
 * fc.sample(fieldArbitrary({ type: { kind: 'enum', values: ['a', 'b'] }, nullable: true, optional: false }), 3)
 */
export function fieldArbitrary(field: FieldSnapshot): fc.Arbitrary<unknown> {
  const base = typeArbitrary(field.type);
  const options: fc.Arbitrary<unknown>[] = [base];
  if (field.nullable) options.push(fc.constant(null));
  if (field.optional) options.push(fc.constant(undefined));
  return options.length === 1 ? base : fc.oneof(...options);
}

/** A fast-check arbitrary of a model's rows at one version, every field present (or absent when optional). */
export function rowArbitrary(model: ModelSnapshot): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(model.fields).map(([n, f]) => [n, fieldArbitrary(f)])));
}

function typeArbitrary(type: TypeSnapshot): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'string':
      return stringArbitrary(type);
    case 'number':
      return type.integer
        ? fc.integer({ min: -2_147_483_648, max: 2_147_483_647 })
        : fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01T00:00:00Z') });
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'literal':
      return fc.constant(type.value);
    case 'array':
      return fc.array(fieldArbitrary({ ...type.element, optional: false }), { maxLength: 5 });
    case 'object':
      return fc.record(
        Object.fromEntries(Object.entries(type.fields).map(([n, f]) => [n, fieldArbitrary(f)])),
      );
    case 'json':
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(type: Extract<TypeSnapshot, { kind: 'string' }>): fc.Arbitrary<string> {
  switch (type.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'url':
      return fc.webUrl();
    case 'datetime':
      return fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01T00:00:00Z') })
        .map((d) => d.toISOString());
    default:
      // No NUL characters: no engine stores them, so no row holds one.
      return fc
        .string({ maxLength: Math.min(type.maxLength ?? 40, 40), unit: 'grapheme-ascii' })
        .filter((s) => !s.includes('\u0000'));
  }
}
