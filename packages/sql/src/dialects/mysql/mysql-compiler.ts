import type { JsonValue } from '@evolve/core';
import { MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { dummyKysely } from '../shared/dummy-kysely.ts';
import { valueKind } from '../shared/value-kind.ts';
import { introspectMysql } from './introspect-mysql.ts';
import { mysqlMoveJson } from './mysql-move-json.ts';
import { compileMysqlStep } from './mysql-step-hooks.ts';
import { mysqlCanonicalType, mysqlColumnType, mysqlDatetime } from './mysql-types.ts';

const db = dummyKysely({
  adapter: () => new MysqlAdapter(),
  introspector: (k) => new MysqlIntrospector(k),
  compiler: () => new MysqlQueryCompiler(),
});

function constantText(spec: ColumnSpec, value: JsonValue): string {
  const kind = valueKind(spec.type);
  if (kind === 'json' || (value !== null && typeof value === 'object')) return JSON.stringify(value);
  if (kind === 'date' && typeof value === 'string') return mysqlDatetime(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** `'a''b'` -> `a'b`; MySQL 8 expression defaults (`_utf8mb4\'x\'`) too. */
function defaultText(expression: string): string {
  let text = expression
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .replace(/^_[a-z0-9]+(?=\\?')/i, '');
  text = text.replace(/\\'/g, "'");
  const quoted = /^'(.*)'$/s.exec(text);
  return quoted ? (quoted[1] as string).replace(/''/g, "'").replace(/\\\\/g, '\\') : text;
}

/** MySQL 8 and MariaDB 10.x. */
export const mysqlCompiler = {
  db,
  columnType: mysqlColumnType,
  generatedColumn: (c) => c.autoIncrement(),
  defaultExpression(spec, value) {
    const kind = valueKind(spec.type);
    // json (and text) columns only take expression defaults on MySQL 8
    if (kind === 'json') return sql`(${sql.lit(JSON.stringify(value))})`;
    if (typeof value === 'boolean' || typeof value === 'number') return sql.lit(value);
    return sql.lit(constantText(spec, value));
  },
  compileStep: compileMysqlStep,
  moveJsonExpression: mysqlMoveJson,
  introspect: introspectMysql,
  canonicalType: mysqlCanonicalType,
  defaultText,
  expectedDefaultText: constantText,
} satisfies Partial<DialectCapabilities>;
