import { z } from 'zod';
import type { FieldRecipe } from './field-recipe.ts';

function baseSchema(recipe: FieldRecipe): z.ZodType {
  switch (recipe.base) {
    case 'string':
      return recipe.max === undefined ? z.string() : z.string().max(recipe.max);
    case 'uuid':
      return z.uuid();
    case 'int':
      return z.number().int();
    case 'number':
      return z.number();
    case 'bigint':
      return z.bigint();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.date();
    case 'enum':
      return z.enum(recipe.values as [string, ...string[]]);
    case 'json':
      return z.unknown();
    case 'object':
      return z.object(Object.fromEntries((recipe.fields ?? []).map(([name, f]) => [name, zodOfRecipe(f)])));
    case 'array':
      return z.array(recipe.element ? zodOfRecipe(recipe.element) : z.unknown());
  }
}

/** The default as the zod schema takes it: a Date for a date, a bigint for a bigint. */
function defaultValue(recipe: FieldRecipe): unknown {
  const value = recipe.default;
  if (recipe.base === 'date' && typeof value === 'string') return new Date(value);
  if (recipe.base === 'bigint' && typeof value === 'string') return BigInt(value);
  return value;
}

/**
 * The zod schema a recipe describes, built the way `tsOfRecipe` writes it.
 *
 * @example
 * zodOfRecipe({ base: 'string', max: 20, nullable: true }); // z.string().max(20).nullable()
 */
export function zodOfRecipe(recipe: FieldRecipe): z.ZodType {
  let schema = baseSchema(recipe);
  if (recipe.sqlType !== undefined) schema = schema.meta({ sqlType: recipe.sqlType });
  if (recipe.generated !== undefined) schema = schema.meta({ generated: recipe.generated });
  if (recipe.nullable) schema = schema.nullable();
  if (recipe.optional) schema = schema.optional();
  if (recipe.default !== undefined) {
    schema = (schema as z.ZodType<unknown>).default(defaultValue(recipe) as never);
  }
  return schema;
}
