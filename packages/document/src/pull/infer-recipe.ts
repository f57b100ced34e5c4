import { type FieldRecipe, IDENTIFIER, type PullNote } from '@evolve/core';

type Kind = 'string' | 'int' | 'number' | 'boolean' | 'date' | 'object' | 'array' | 'other';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

function kindOf(value: unknown): Kind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return 'other';
}

/** The name of a value's type for a note: `ObjectId`, `Decimal128`, `number`. */
const typeName = (value: unknown): string =>
  (value as { _bsontype?: string })?._bsontype ?? (value as object)?.constructor?.name ?? typeof value;

/** Where a note about a nested field points: `address.city`, `tags[]`. */
export interface InferContext {
  collection: string;
  path: string;
  notes: PullNote[];
}

const note = (ctx: InferContext, reason: string) =>
  ctx.notes.push({ table: ctx.collection, item: ctx.path, kind: 'approximated', reason });

/** The fields of sampled objects: a field some of them lack is optional. */
export function inferFields(objects: Record<string, unknown>[], ctx: InferContext): [string, FieldRecipe][] {
  const names: string[] = [];
  for (const o of objects) for (const k of Object.keys(o)) if (!names.includes(k)) names.push(k);
  const fields: [string, FieldRecipe][] = [];
  for (const name of names) {
    const path = ctx.path ? `${ctx.path}.${name}` : name;
    if (!IDENTIFIER.test(name) || name === '__proto__') {
      ctx.notes.push({
        table: ctx.collection,
        item: path,
        kind: 'skipped',
        reason: 'the field name is not an identifier (letters, digits, underscores): not in the model',
      });
      continue;
    }
    const present = objects.filter((o) => Object.hasOwn(o, name));
    const recipe = inferRecipe(
      present.map((o) => o[name]),
      { ...ctx, path },
    );
    if (present.length < objects.length) recipe.optional = true;
    fields.push([name, recipe]);
  }
  return fields;
}

/**
 * The zod field that holds every sampled value: its type when they share one (integers when every number
 * is whole), nested objects and arrays field by field, `.nullable()` when one is null. Values of different
 * types, or of a type the models have no field for (ObjectId, Decimal128, binary), give `z.unknown()` and a
 * note. Pure.
 *
 * @example
 * inferRecipe(['a', null, 'b'], { collection: 'users', path: 'name', notes: [] }); // { base: 'string', nullable: true }
 */
export function inferRecipe(values: unknown[], ctx: InferContext): FieldRecipe {
  const nullable = values.some((v) => v === null || v === undefined);
  const present = values.filter((v) => v !== null && v !== undefined);
  const kinds = new Set(present.map(kindOf));
  if (kinds.has('int') && kinds.has('number')) kinds.delete('int');
  if (kinds.size === 0) {
    note(ctx, 'only null values were sampled: modelled as z.unknown()');
    return { base: 'json', nullable };
  }
  if (kinds.size > 1) {
    note(ctx, `values of several types (${[...kinds].join(', ')}): modelled as z.unknown()`);
    return { base: 'json', nullable };
  }
  const kind = [...kinds][0] as Kind;
  switch (kind) {
    case 'object':
      return { base: 'object', fields: inferFields(present as Record<string, unknown>[], ctx), nullable };
    case 'array': {
      const elements = (present as unknown[][]).flat();
      if (elements.length === 0) {
        note(ctx, 'only empty arrays were sampled: elements modelled as z.unknown()');
        return { base: 'array', element: { base: 'json', nullable: false }, nullable };
      }
      return { base: 'array', element: inferRecipe(elements, { ...ctx, path: `${ctx.path}[]` }), nullable };
    }
    case 'other':
      note(ctx, `values of type ${[...new Set(present.map(typeName))].join(', ')}: modelled as z.unknown()`);
      return { base: 'json', nullable };
    default:
      return { base: kind, nullable };
  }
}
