import { checkSqlType } from '@evolve/core';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import { valueKind } from '../shared/value-kind.ts';

/**
 * Model types on SQLite (type affinities): strings, uuids, enums and dates (ISO 8601 text) -> text,
 * integer, bigint and boolean (0/1) -> integer, float -> real, nested data -> text holding JSON. `sqlType` wins.
 */
export function sqliteColumnType(spec: Pick<ColumnSpec, 'type' | 'sqlType'>): string {
  // checked again here: a hand-edited migration or snapshot reaches DDL without defineModel's check
  if (spec.sqlType) return checkSqlType(spec.sqlType, 'sqlType');
  switch (valueKind(spec.type)) {
    case 'integer':
    case 'bigint':
    case 'boolean':
      return 'integer';
    case 'float':
      return 'real';
    default:
      return 'text';
  }
}

export const sqliteCanonicalType = (type: string): string => type.trim().toLowerCase().replace(/\s+/g, ' ');
