import type { ModelSnapshot } from './snapshot-types.ts';

type Ordered = Pick<ModelSnapshot, 'fields' | 'primaryKey' | 'fieldOrder'>;

/**
 * The order a model's columns take when the snapshot records none: the primary key, then the other fields by
 * name (how evolve created tables before it kept the declaration order).
 *
 * @example
 * derivedFieldOrder({ fields: { name: field, id: field, age: field }, primaryKey: ['id'] }); // ['id', 'age', 'name']
 */
export function derivedFieldOrder(model: Pick<ModelSnapshot, 'fields' | 'primaryKey'>): string[] {
  const names = Object.keys(model.fields).sort();
  const key = model.primaryKey.filter((f) => Object.hasOwn(model.fields, f));
  return [...key, ...names.filter((n) => !key.includes(n))];
}

/**
 * The top-level fields of a model in column order: its `fieldOrder`, else the derived order.
 *
 * @example
 * fieldOrderOf(toSnapshot(defineSchema([User])).models.User!); // ['id', 'email', 'name'], as declared
 */
export function fieldOrderOf(model: Ordered): string[] {
  return model.fieldOrder ? [...model.fieldOrder] : derivedFieldOrder(model);
}

/** Records `order` on a working model, or removes the member when the order is the derived one. */
export function setFieldOrder(model: Ordered, order: readonly string[]): void {
  const derived = derivedFieldOrder(model);
  if (order.length === derived.length && order.every((f, i) => f === derived[i])) delete model.fieldOrder;
  else model.fieldOrder = [...order];
}

/** A model without its field order: what the hash and model comparisons see. */
export function withoutFieldOrder<T extends Ordered>(model: T): Omit<T, 'fieldOrder'> {
  const { fieldOrder: _, ...rest } = model;
  return rest;
}

/** Whether `order` lists each of `fields` exactly once (a hand-edited snapshot or migration may not). */
export function listsEachField(order: readonly string[], fields: Record<string, unknown>): boolean {
  return (
    order.length === Object.keys(fields).length &&
    new Set(order).size === order.length &&
    order.every((f) => Object.hasOwn(fields, f))
  );
}
