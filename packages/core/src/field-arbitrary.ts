import fc from 'fast-check';
import type { FieldSnapshot, ModelSnapshot, TypeSnapshot } from './snapshot-types.ts';

const EPOCH = new Date(0);
const YEAR_2100 = new Date('2100-01-01T00:00:00Z');

/**
 * A fast-check arbitrary of the values a field holds at one version, derived from its snapshot: its type
 * (string lengths, enum members, integers, uuid/email/url/datetime formats, nested objects and arrays, JSON
 * objects for json/record fields),
 * with null where the field is nullable and `undefined` where it is optional. Every value it draws is one
 * the field's zod schema accepts, so a property failing on it is the code's fault, not the generator's. Pure.
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

/**
 * An arbitrary of objects with these fields: required members always present, optional ones sometimes
 * left out (as in a stored document or a row read back), nullable ones sometimes null.
 *
 * @example
 * fc.sample(objectArbitrary(snapshot.models.Event!.fields), 1) // [{ _id: '', at: '', payload: { ... }, ... }]
 */
export function objectArbitrary(
  fields: Readonly<Record<string, FieldSnapshot>>,
): fc.Arbitrary<Record<string, unknown>> {
  const members: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    // absence stands for "optional" here, so the member's own value is never undefined
    members[name] = fieldArbitrary({ ...field, optional: false });
    if (!field.optional) requiredKeys.push(name);
  }
  return fc.record(members, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/**
 * An arbitrary of a model's rows (or documents) at one version.
 *
 * @example
 * fc.sample(rowArbitrary(snapshot.models.User!), 5)
 */
export function rowArbitrary(model: Pick<ModelSnapshot, 'fields'>): fc.Arbitrary<Record<string, unknown>> {
  return objectArbitrary(model.fields);
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
      return fc.date({ noInvalidDate: true, min: EPOCH, max: YEAR_2100 });
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'literal':
      return fc.constant(type.value);
    case 'array':
      return fc.array(fieldArbitrary({ ...type.element, optional: false }), { maxLength: 5 });
    case 'object':
      return objectArbitrary(type.fields);
    case 'json':
      // an object of JSON values: what both a record (`z.record`) and `z.unknown()` accept, and the
      // snapshot does not say which of the two the field is
      return fc.dictionary(
        fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 4 },
      );
  }
}

const lower = (chars: string) => fc.constantFrom(...chars.split(''));
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const word = (min: number, max: number, chars = ALNUM) =>
  fc.string({ unit: lower(chars), minLength: min, maxLength: max });

/**
 * Addresses every common validator accepts (zod's included): fast-check's RFC 5322 ones are too exotic.
 * Built on first use, not at import (a command that runs no property test should not pay for it).
 */
let emailArbitrary: fc.Arbitrary<string> | undefined;
const emailAddresses = (): fc.Arbitrary<string> =>
  (emailArbitrary ??= fc
    .tuple(word(1, 12), fc.array(word(1, 8), { maxLength: 2 }), word(2, 6, 'abcdefghijklmnopqrstuvwxyz'))
    .map(([local, labels, tld]) => `${local}@${[...labels, 'example'].join('.')}.${tld}`));

function stringArbitrary(type: Extract<TypeSnapshot, { kind: 'string' }>): fc.Arbitrary<string> {
  switch (type.format) {
    case 'uuid':
      return fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] });
    case 'email':
      return emailAddresses();
    case 'url':
      return fc.webUrl();
    case 'datetime':
      return fc.date({ noInvalidDate: true, min: EPOCH, max: YEAR_2100 }).map((d) => d.toISOString());
    default: {
      // Short strings mostly, but every length up to the limit too: fast-check's default size keeps
      // strings near ten characters, and a limit is where transforms break. No NUL characters: no engine
      // stores them, so no row holds one.
      const maxLength = Math.min(type.maxLength ?? 40, 1000);
      const text = (size: 'small' | 'max') => fc.string({ maxLength, unit: 'grapheme-ascii', size });
      return fc.oneof(text('small'), text('max')).filter((s) => !s.includes('\u0000'));
    }
  }
}
