import type { JsonValue, TypeSnapshot } from './snapshot-types.ts';

/**
 * A field as the zod calls that describe it: `z.string().max(20).meta({ sqlType }).nullable().default('x')`.
 * One recipe gives both the field's zod schema (`zodOfRecipe`) and its source text (`tsOfRecipe`), so a
 * models file written from recipes (`evolve pull`) says exactly what their snapshot holds.
 */
export interface FieldRecipe {
  base:
    | 'string'
    | 'uuid'
    | 'int'
    | 'number'
    | 'bigint'
    | 'boolean'
    | 'date'
    | 'enum'
    | 'json'
    | 'object'
    | 'array';
  /** `.max(n)` of a string. */
  max?: number;
  /** The values of an enum. */
  values?: string[];
  /** The fields of an object, in order. */
  fields?: [string, FieldRecipe][];
  /** The element of an array. */
  element?: FieldRecipe;
  /** `.meta({ sqlType })`: the column's type when the base type would not create it. */
  sqlType?: string;
  /** `.meta({ generated: 'identity' })`: an integer primary key the database generates. */
  generated?: 'identity';
  nullable: boolean;
  /** `.optional()`: a document field that some documents lack. */
  optional?: boolean;
  /** A constant default (a date's as its ISO text, a bigint's as its digits). */
  default?: JsonValue;
}

/**
 * The snapshot type a recipe's column gets from `toSnapshot` on an sql model (its `unbounded` included).
 *
 * @example
 * typeOfRecipe({ base: 'string', max: 20 }); // { kind: 'string', maxLength: 20 }
 */
export function typeOfRecipe(recipe: Pick<FieldRecipe, 'base' | 'max' | 'values' | 'sqlType'>): TypeSnapshot {
  switch (recipe.base) {
    case 'string':
      if (recipe.max !== undefined) return { kind: 'string', maxLength: recipe.max };
      return recipe.sqlType === undefined ? { kind: 'string', unbounded: true } : { kind: 'string' };
    case 'uuid':
      return { kind: 'string', format: 'uuid' };
    case 'int':
      return { kind: 'number', integer: true };
    case 'number':
      return { kind: 'number', integer: false };
    case 'enum':
      return { kind: 'enum', values: [...(recipe.values ?? [])] };
    case 'object':
    case 'array':
      return { kind: 'json' };
    case 'bigint':
    case 'boolean':
    case 'date':
    case 'json':
      return { kind: recipe.base };
  }
}
