import { checkSqlType } from '@evolve/core';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import { valueKind } from '../shared/value-kind.ts';

/**
 * Model types on PostgreSQL: string -> text or varchar(n), uuid -> uuid, integer -> integer,
 * float -> double precision, bigint, boolean, date -> timestamptz, enum -> text (values are checked by
 * the model, not by a CHECK constraint), nested objects/arrays/json -> jsonb. `sqlType` wins.
 */
export function postgresColumnType(spec: Pick<ColumnSpec, 'type' | 'sqlType'>): string {
  // checked again here: a hand-edited migration or snapshot reaches DDL without defineModel's check
  if (spec.sqlType) return checkSqlType(spec.sqlType, 'sqlType');
  const kind = valueKind(spec.type);
  switch (kind) {
    case 'string':
      return spec.type.kind === 'string' && spec.type.maxLength ? `varchar(${spec.type.maxLength})` : 'text';
    case 'uuid':
      return 'uuid';
    case 'integer':
      return 'integer';
    case 'float':
      return 'double precision';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'timestamptz';
    case 'json':
      return 'jsonb';
  }
}

const ALIASES: [RegExp, string][] = [
  [/^varchar\b/, 'character varying'],
  [/^char\b/, 'character'],
  [/^timestamptz$/, 'timestamp with time zone'],
  [/^timestamp$/, 'timestamp without time zone'],
  [/^int4?$|^int$/, 'integer'],
  [/^int8$/, 'bigint'],
  [/^int2$/, 'smallint'],
  [/^float8$|^double$/, 'double precision'],
  [/^float4$/, 'real'],
  [/^bool$/, 'boolean'],
  [/^decimal\b/, 'numeric'],
];

/** The type text as `format_type` reports it. */
export function postgresCanonicalType(type: string): string {
  let t = type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',');
  for (const [re, to] of ALIASES) t = t.replace(re, to);
  return t;
}
