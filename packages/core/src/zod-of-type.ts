import { z } from 'zod';
import type { FieldSnapshot, TypeSnapshot } from './snapshot-types.ts';

/** Builds the schema of one member (an object's field, an array's element), wrappers included. */
export type ZodOfField = (field: FieldSnapshot) => z.ZodType;

/**
 * The zod shape of snapshot fields, in their key order, each built by `field`.
 *
 * @example
 * const member: ZodOfField = (f) => zodOfType(f.type, member);
 * z.looseObject(zodShapeOf(fields, member)).parse({ name: 'Ada' });
 */
export function zodShapeOf(
  fields: Record<string, FieldSnapshot>,
  field: ZodOfField,
): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, field(f)]));
}

function stringSchema(type: TypeSnapshot & { kind: 'string' }): z.ZodType {
  let s: z.ZodString | z.ZodStringFormat;
  if (type.format === 'uuid') s = z.uuid();
  else if (type.format === 'email') s = z.email();
  else if (type.format === 'url') s = z.url();
  else if (type.format === 'datetime') s = z.iso.datetime({ offset: true, local: true });
  else s = z.string();
  return type.maxLength === undefined ? s : s.max(type.maxLength);
}

/**
 * The zod schema of a snapshot type, which `toSnapshot` reads back as that type: the inverse of reading a
 * model. It validates values stored at that type (a datetime text with or without an offset; an enum with no
 * values accepts nothing). Array elements and object fields are built by `field`, so the caller decides their
 * wrappers (nullability, defaults, metadata).
 *
 * @example
 * const member: ZodOfField = (f) => (f.nullable ? zodOfType(f.type, member).nullable() : zodOfType(f.type, member));
 * zodOfType({ kind: 'string', maxLength: 20 }, member); // z.string().max(20)
 */
export function zodOfType(type: TypeSnapshot, field: ZodOfField): z.ZodType {
  switch (type.kind) {
    case 'string':
      return stringSchema(type);
    case 'number':
      return type.integer ? z.int() : z.number();
    case 'bigint':
      return z.bigint();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.date();
    case 'enum':
      return type.values.length === 0 ? z.never() : z.enum(type.values as [string, ...string[]]);
    case 'literal':
      return z.literal(type.value);
    case 'json':
      return z.unknown();
    case 'array':
      return z.array(field(type.element));
    case 'object':
      return z.object(zodShapeOf(type.fields, field));
  }
}
