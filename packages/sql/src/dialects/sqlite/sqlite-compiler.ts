import type { JsonValue } from '@evolve/core';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { dummyKysely } from '../shared/dummy-kysely.ts';
import { valueKind } from '../shared/value-kind.ts';
import { compileSqliteRun, compileSqliteStep } from './compile-sqlite-step.ts';
import { gatherRebuilds } from './gather-rebuilds.ts';
import { introspectSqlite } from './introspect-sqlite.ts';
import { sqliteMoveJson } from './sqlite-move-json.ts';
import { sqliteCanonicalType, sqliteColumnType } from './sqlite-types.ts';

const db = dummyKysely({
  adapter: () => new SqliteAdapter(),
  introspector: (k) => new SqliteIntrospector(k),
  compiler: () => new SqliteQueryCompiler(),
});

function constant(spec: ColumnSpec, value: JsonValue): string | number {
  if (valueKind(spec.type) === 'json' || (value !== null && typeof value === 'object'))
    return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number;
}

function defaultText(expression: string): string {
  const text = expression.trim().replace(/^\((.*)\)$/s, '$1');
  const quoted = /^'(.*)'$/s.exec(text);
  return quoted ? (quoted[1] as string).replace(/''/g, "'") : text;
}

/** SQLite (better-sqlite3 and friends). */
export const sqliteCompiler = {
  db,
  columnType: sqliteColumnType,
  // an INTEGER column that is the whole primary key is SQLite's rowid alias: generated as it stands
  generatedColumn: (c) => c,
  defaultExpression: (spec, value) => sql.lit(constant(spec, value)),
  compileStep: compileSqliteStep,
  compileRun: compileSqliteRun,
  orderSteps: gatherRebuilds,
  moveJsonExpression: sqliteMoveJson,
  introspect: introspectSqlite,
  canonicalType: sqliteCanonicalType,
  defaultText,
  expectedDefaultText: (spec, value) => String(constant(spec, value)),
} satisfies Partial<DialectCapabilities>;
