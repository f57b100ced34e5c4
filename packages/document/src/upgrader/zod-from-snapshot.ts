import { type FieldSnapshot, type ModelSnapshot, zodOfType, zodShapeOf } from '@evolve/core';
import { z } from 'zod';
import { materialize } from './value-plan.ts';

function fieldSchema(field: FieldSnapshot): z.ZodType {
  let s = zodOfType(field.type, fieldSchema);
  if (field.nullable) s = s.nullable();
  if (field.default && 'value' in field.default) {
    const value = materialize(field.default.value, field.type);
    s = s.default(value as never);
  }
  if (field.optional) s = s.optional();
  else if (field.default) s = s.optional(); // a dynamic default: absent values are filled on write
  return s;
}

/**
 * A zod schema for a model at one version, built from its snapshot: what documents stored at that
 * version look like. Members the snapshot does not describe (`_id`, the version field) pass through.
 *
 * @example
 * zodFromSnapshot(snapshot.models.Event!).parse(doc);
 */
export function zodFromSnapshot(model: Pick<ModelSnapshot, 'fields'>): z.ZodObject {
  return z.looseObject(zodShapeOf(model.fields, fieldSchema));
}
