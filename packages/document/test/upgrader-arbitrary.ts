import type { FieldSnapshot, TypeSnapshot } from '@evolve/core';
import fc from 'fast-check';

/** Values of a type (stored documents: never NaN, infinities or invalid dates). */
export function typeArbitrary(type: TypeSnapshot): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'string':
      return fc.string({ maxLength: Math.min(type.maxLength ?? 12, 12) });
    case 'number':
      return type.integer
        ? fc.integer({ min: -1_000_000, max: 1_000_000 })
        : fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n });
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4_000_000_000_000) });
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'literal':
      return fc.constant(type.value);
    case 'json':
      return fc.jsonValue({ maxDepth: 2 });
    case 'array':
      return fc.array(fieldArbitrary(type.element), { maxLength: 3 });
    case 'object':
      return objectArbitrary(type.fields);
  }
}

/** Values of a field: null sometimes when nullable. */
export function fieldArbitrary(field: FieldSnapshot): fc.Arbitrary<unknown> {
  const base = typeArbitrary(field.type);
  return field.nullable ? fc.option(base, { nil: null, freq: 4 }) : base;
}

/**
 * Documents of an object shape. Optional members are sometimes absent; members with a default are
 * always present, as they are in documents written through the model's zod schema.
 */
export function objectArbitrary(
  fields: Record<string, FieldSnapshot>,
): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [name, f] of Object.entries(fields)) {
    model[name] = fieldArbitrary(f);
    if (!f.optional) requiredKeys.push(name);
  }
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}
