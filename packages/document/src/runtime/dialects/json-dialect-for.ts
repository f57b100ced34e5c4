import { EvolveError } from '@evolve/core';
import { dialectOf, type SqlDialect } from '@evolve/sql';
import type { Kysely } from 'kysely';
import type { SqlJsonDialect } from '../sql-json-dialect.ts';
import { postgresJsonDialect } from './postgres-json-dialect.ts';
import { sqliteJsonDialect } from './sqlite-json-dialect.ts';

/** The SQL dialects that hold JSON documents. */
export type SqlJsonDialectName = Extract<SqlDialect, 'postgres' | 'sqlite'>;

const JSON_DIALECTS: Readonly<Record<SqlDialect, SqlJsonDialect | undefined>> = {
  postgres: postgresJsonDialect,
  mysql: undefined,
  sqlite: sqliteJsonDialect,
};

/**
 * Whether a SQL dialect holds JSON documents (a document model can live in its tables).
 *
 * @example
 * holdsJsonDocuments('mysql'); // false: PostgreSQL (and PGlite) and SQLite hold them
 */
export function holdsJsonDocuments(dialect: SqlDialect): dialect is SqlJsonDialectName {
  return JSON_DIALECTS[dialect] !== undefined;
}

/**
 * The dialect of a Kysely instance as @evolve/sql determines it from the adapter (PGlite counts as
 * PostgreSQL), when it holds JSON documents; any other is UNSUPPORTED_CHANGE.
 *
 * @example
 * detectSqlJsonDialect(db); // 'postgres' on PostgreSQL and PGlite, 'sqlite' on SQLite
 */
export function detectSqlJsonDialect(db: Kysely<any>): SqlJsonDialectName {
  const dialect = dialectOf(db);
  if (!holdsJsonDocuments(dialect)) {
    const names = Object.keys(JSON_DIALECTS).filter((d) => holdsJsonDocuments(d as SqlDialect));
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `JSON documents in SQL need one of the dialects ${names.join(', ')}, not ${dialect}`,
    );
  }
  return dialect;
}

/**
 * The JSON operations for a dialect named in options, else for the Kysely instance's dialect.
 *
 * @example
 * sqlJsonDialectFor(db).docType; // 'jsonb' on PostgreSQL
 */
export function sqlJsonDialectFor(db: Kysely<any>, name?: SqlJsonDialectName): SqlJsonDialect {
  const dialect = JSON_DIALECTS[name ?? detectSqlJsonDialect(db)];
  if (!dialect) {
    throw new EvolveError('UNSUPPORTED_CHANGE', `no JSON documents in SQL for dialect ${name}`, {
      path: 'dialect',
    });
  }
  return dialect;
}
