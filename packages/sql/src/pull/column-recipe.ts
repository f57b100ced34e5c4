import { checkSqlType, type FieldRecipe, typeOfRecipe } from '@evolve/core';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import { enumCheckValues } from '../drift/enum-check-values.ts';
import type { LiveColumn } from '../drift/live-schema.ts';
import { constantDefault } from './constant-default.ts';

type Base = Pick<FieldRecipe, 'base' | 'max'>;

const length = (type: string): number | undefined => {
  const m = /^[a-z ]+\((\d+)\)/.exec(type);
  return m ? Number(m[1]) : undefined;
};

/** The model type closest to a column type, by the type's name (its exact text is checked afterwards). */
function baseOf(type: string, json: boolean): Base {
  if (json) return { base: 'json' };
  const t = type.toLowerCase();
  if (t === 'uuid') return { base: 'uuid' };
  if (t === 'tinyint(1)' || t === 'boolean' || t === 'bool') return { base: 'boolean' };
  if (/^(character varying|varchar|character|char|nvarchar|nchar)\b/.test(t)) {
    const max = length(t);
    return max === undefined ? { base: 'string' } : { base: 'string', max };
  }
  if (/^(text|tinytext|mediumtext|longtext|clob)$/.test(t)) return { base: 'string' };
  if (/^bigint\b|^int8$/.test(t)) return { base: 'bigint' };
  if (/^(integer|int|smallint|tinyint|mediumint|int2|int4)\b/.test(t)) return { base: 'int' };
  if (/^(double precision|double|real|float|float4|float8)\b/.test(t)) return { base: 'number' };
  if (/^(timestamp|datetime|date)\b/.test(t)) return { base: 'date' };
  if (/^(jsonb|json)$/.test(t)) return { base: 'json' };
  // numeric/decimal (the drivers return them as text so no precision is lost), and types with no model type
  if (/^(numeric|decimal)\b/.test(t)) return { base: 'string' };
  return { base: 'json' };
}

/** Whether `sqlType` passes the models' type grammar (no quotes, no expressions). */
function expressible(sqlType: string): boolean {
  try {
    checkSqlType(sqlType, 'sqlType');
    return true;
  } catch {
    return false;
  }
}

/**
 * The zod field of a live column: the model type closest to its type, `sqlType` when that type would not
 * create the column's exact type, nullability, and its default when it is a constant. Pure. What the recipe
 * still cannot say (an expression default, a type outside the `sqlType` grammar) is found afterwards by
 * comparing the pulled snapshot with the live table.
 *
 * @example
 * columnRecipe(capabilitiesFor(db), { name: 'email', type: 'character varying(200)', nullable: false, default: null }, { json: false });
 * // { base: 'string', max: 200, nullable: false }
 */
export function columnRecipe(
  module: DialectCapabilities,
  column: LiveColumn,
  options: { json: boolean },
): FieldRecipe {
  // a native ENUM type, where the engine has one: its values, though evolve stores enums as varchar with a
  // CHECK (a noted type drift)
  const native = /^enum\((.*)\)$/s.exec(column.type);
  const values = column.enumValues ?? (native ? enumCheckValues(`in (${native[1]})`) : undefined);
  const base: Pick<FieldRecipe, 'base' | 'max' | 'values'> = values
    ? { base: 'enum', values: [...values] }
    : baseOf(column.type, options.json);
  const live = module.canonicalType(column.type);
  const natural = module.canonicalType(module.columnType({ type: typeOfRecipe(base) }));
  const recipe: FieldRecipe = { ...base, nullable: column.nullable };
  if (natural !== live && expressible(column.type)) recipe.sqlType = column.type;
  const value = constantDefault(column.default, base.base);
  if (value !== undefined) recipe.default = value;
  return recipe;
}
