import { checkSqlType } from '@evolve/core';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import { valueKind } from '../shared/value-kind.ts';

/**
 * Model types on MySQL/MariaDB: string -> varchar(n) (mediumtext above 16383), an unbounded string (a column
 * without `.max()`, see TypeSnapshot) -> longtext, which holds what text holds on PostgreSQL and SQLite but
 * cannot be indexed; a string of an older snapshot without a max length -> varchar(255), as evolve created it
 * then; uuid -> char(36), integer -> int, float -> double, bigint, boolean -> boolean (tinyint(1)),
 * date -> datetime(3) (UTC), enum -> varchar(255), nested data -> json. `sqlType` wins.
 */
export function mysqlColumnType(spec: Pick<ColumnSpec, 'type' | 'sqlType'>): string {
  // checked again here: a hand-edited migration or snapshot reaches DDL without defineModel's check
  if (spec.sqlType) return checkSqlType(spec.sqlType, 'sqlType');
  switch (valueKind(spec.type)) {
    case 'string': {
      if (spec.type.kind === 'string' && spec.type.unbounded) return 'longtext';
      const max = spec.type.kind === 'string' ? spec.type.maxLength : undefined;
      if (max === undefined) return 'varchar(255)';
      return max <= 16383 ? `varchar(${max})` : 'mediumtext';
    }
    case 'uuid':
      return 'char(36)';
    case 'integer':
      return 'int';
    case 'float':
      return 'double';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'datetime(3)';
    case 'json':
      return 'json';
  }
}

/** The type text in a form comparable with information_schema.COLUMNS.COLUMN_TYPE (MySQL and MariaDB). */
export function mysqlCanonicalType(type: string): string {
  const t = type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(');
  if (t === 'boolean' || t === 'bool') return 'tinyint(1)';
  if (t === 'json') return 'longtext'; // MariaDB stores json as longtext with a json_valid check
  if (t === 'integer') return 'int';
  if (t === 'double precision' || t === 'real') return 'double';
  // display widths (int(11), bigint(20)) are reported by MariaDB and older MySQL only
  return t.replace(/^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)/, (m, base, width) =>
    base === 'tinyint' && width === '1' ? m : base,
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO timestamp as a datetime(3) literal in UTC (`2024-01-02 03:04:05.678`). */
export function mysqlDatetime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}
