import type { JsonValue } from '@evolve/core';
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { dummyKysely } from '../shared/dummy-kysely.ts';
import { valueKind } from '../shared/value-kind.ts';
import { introspectPostgres } from './introspect-postgres.ts';
import { postgresMoveJson } from './postgres-move-json.ts';
import { compilePostgresStep } from './postgres-step-hooks.ts';
import { postgresCanonicalType, postgresColumnType } from './postgres-types.ts';

const db = dummyKysely({
  adapter: () => new PostgresAdapter(),
  introspector: (k) => new PostgresIntrospector(k),
  compiler: () => new PostgresQueryCompiler(),
});

const constantText = (spec: ColumnSpec, value: JsonValue): string | number | boolean =>
  valueKind(spec.type) === 'json' || (value !== null && typeof value === 'object')
    ? JSON.stringify(value)
    : (value as string | number | boolean);

/** Strips casts and quotes from a catalog default: `'a''b'::text` -> `a'b`, `'-1'::integer` -> `-1`. */
function defaultText(expression: string): string {
  let text = expression.trim();
  for (;;) {
    const unwrapped = text
      .replace(/^\((.*)\)$/s, '$1')
      .replace(/::[a-z][a-z0-9_ ]*(\(\d+(,\d+)?\))?(\[\])?$/i, '');
    if (unwrapped === text) break;
    text = unwrapped.trim();
  }
  const quoted = /^'(.*)'$/s.exec(text);
  return quoted ? (quoted[1] as string).replace(/''/g, "'") : text;
}

/** PostgreSQL (and PGlite, which runs the same plans). */
export const postgresCompiler = {
  db,
  columnType: postgresColumnType,
  generatedColumn: (c) => c.generatedByDefaultAsIdentity(),
  defaultExpression: (spec, value) => sql.lit(constantText(spec, value)),
  compileStep: compilePostgresStep,
  moveJsonExpression: postgresMoveJson,
  introspect: introspectPostgres,
  canonicalType: postgresCanonicalType,
  defaultText,
  expectedDefaultText: (spec, value) => String(constantText(spec, value)),
} satisfies Partial<DialectCapabilities>;
