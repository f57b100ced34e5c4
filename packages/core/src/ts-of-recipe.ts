import type { FieldRecipe } from './field-recipe.ts';
import type { JsonValue } from './snapshot-types.ts';
import { tsKey, tsString } from './ts-source.ts';

/** A JSON value as a TypeScript expression: every string through `tsString`, every key through `tsKey`. */
export function tsJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsJson).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${tsKey(k)}: ${tsJson(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function baseText(recipe: FieldRecipe): string {
  switch (recipe.base) {
    case 'string':
      return recipe.max === undefined ? 'z.string()' : `z.string().max(${recipe.max})`;
    case 'uuid':
      return 'z.uuid()';
    case 'int':
      return 'z.number().int()';
    case 'number':
      return 'z.number()';
    case 'bigint':
      return 'z.bigint()';
    case 'boolean':
      return 'z.boolean()';
    case 'date':
      return 'z.date()';
    case 'enum':
      return `z.enum([${(recipe.values ?? []).map(tsString).join(', ')}])`;
    case 'json':
      return 'z.unknown()';
    case 'object': {
      const fields = (recipe.fields ?? []).map(([name, f]) => `${tsKey(name)}: ${tsOfRecipe(f)}`);
      return fields.length === 0 ? 'z.object({})' : `z.object({ ${fields.join(', ')} })`;
    }
    case 'array':
      return `z.array(${recipe.element ? tsOfRecipe(recipe.element) : 'z.unknown()'})`;
  }
}

function defaultText(recipe: FieldRecipe): string {
  const value = recipe.default as JsonValue;
  if (recipe.base === 'date' && typeof value === 'string') return `new Date(${tsString(value)})`;
  if (recipe.base === 'bigint' && typeof value === 'string' && /^-?\d+$/.test(value)) return `${value}n`;
  return tsJson(value);
}

/**
 * The source text of a recipe's zod field, the same calls `zodOfRecipe` makes.
 *
 * @example
 * tsOfRecipe({ base: 'string', max: 20, nullable: true, default: "it's" }); // "z.string().max(20).nullable().default('it\\'s')"
 */
export function tsOfRecipe(recipe: FieldRecipe): string {
  let text = baseText(recipe);
  if (recipe.sqlType !== undefined) text += `.meta({ sqlType: ${tsString(recipe.sqlType)} })`;
  if (recipe.generated !== undefined) text += `.meta({ generated: ${tsString(recipe.generated)} })`;
  if (recipe.nullable) text += '.nullable()';
  if (recipe.optional) text += '.optional()';
  if (recipe.default !== undefined) text += `.default(${defaultText(recipe)})`;
  return text;
}
