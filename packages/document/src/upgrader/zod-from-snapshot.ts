import type { FieldSnapshot, ModelSnapshot, TypeSnapshot } from '@evolve/core';
import { z } from 'zod';
import { materialize } from './value-plan.ts';

function typeSchema(type: TypeSnapshot): z.ZodType {
  switch (type.kind) {
    case 'string': {
      let s: z.ZodType;
      if (type.format === 'uuid') s = z.uuid();
      else if (type.format === 'email') s = z.email();
      else if (type.format === 'url') s = z.url();
      else if (type.format === 'datetime') s = z.iso.datetime({ offset: true, local: true });
      else s = z.string();
      return type.maxLength === undefined ? s : (s as z.ZodString).max(type.maxLength);
    }
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
      return z.array(fieldSchema(type.element));
    case 'object':
      return z.object(shapeOf(type.fields));
  }
}

function fieldSchema(field: FieldSnapshot): z.ZodType {
  let s = typeSchema(field.type);
  if (field.nullable) s = s.nullable();
  if (field.default && 'value' in field.default) {
    const value = materialize(field.default.value, field.type);
    s = s.default(value as never);
  }
  if (field.optional) s = s.optional();
  else if (field.default) s = s.optional(); // a dynamic default: absent values are filled on write
  return s;
}

function shapeOf(fields: Record<string, FieldSnapshot>): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, f] of Object.entries(fields)) shape[name] = fieldSchema(f);
  return shape;
}

/**
 * A zod schema for a model at one version, built from its snapshot: what documents stored at that
 * version look like. Members the snapshot does not describe (`_id`, the version field) pass through.
 *
 * @example
 * zodFromSnapshot(snapshot.models.Event!).parse(doc);
 */
export function zodFromSnapshot(model: Pick<ModelSnapshot, 'fields'>): z.ZodObject {
  return z.looseObject(shapeOf(model.fields));
}
