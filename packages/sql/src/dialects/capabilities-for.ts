import { EvolveError } from '@evolve/core';
import { type Kysely, MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';
import { mysqlCapabilities } from './mysql/mysql-capabilities.ts';
import { postgresCapabilities } from './postgres/postgres-capabilities.ts';
import type { DialectCapabilities } from './shared/dialect-capabilities.ts';
import { sqliteCapabilities } from './sqlite/sqlite-capabilities.ts';

const BY_NAME: Readonly<Record<SqlDialect, DialectCapabilities>> = {
  postgres: postgresCapabilities,
  mysql: mysqlCapabilities,
  sqlite: sqliteCapabilities,
};

/** Every dialect evolve supports. */
export const EVERY_DIALECT: readonly DialectCapabilities[] = Object.values(BY_NAME);

const BY_ADAPTER: readonly [abstract new (...args: never[]) => unknown, DialectCapabilities][] = [
  [PostgresAdapter, postgresCapabilities],
  [MysqlAdapter, mysqlCapabilities],
  [SqliteAdapter, sqliteCapabilities],
];

/**
 * How each dialect's query compiler writes `select "c" from "t" limit ?`: its identifier quotes and
 * parameter placeholders tell the dialects apart by behaviour where `instanceof` cannot (the application's
 * adapter comes from a second copy of kysely).
 */
const BY_COMPILED_SQL: readonly [string, DialectCapabilities][] = [
  ['select "c" from "t" limit $1', postgresCapabilities],
  ['select `c` from `t` limit ?', mysqlCapabilities],
  ['select "c" from "t" limit ?', sqliteCapabilities],
];

/**
 * The capabilities of a dialect named in options (`planSqlMigration(changeSet, { dialect })`).
 *
 * @example
 * capabilitiesOf('sqlite').supportsTransactionalDdl; // true
 */
export function capabilitiesOf(dialect: SqlDialect): DialectCapabilities {
  const capabilities = Object.hasOwn(BY_NAME, dialect) ? BY_NAME[dialect] : undefined;
  if (!capabilities) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `unknown SQL dialect ${JSON.stringify(dialect)} (${Object.keys(BY_NAME).join(', ')})`,
      { path: 'dialect' },
    );
  }
  return capabilities;
}

/**
 * The capabilities for a Kysely instance, found from its dialect adapter (PGlite's dialect uses
 * PostgresAdapter): the one place that determines a dialect from a Kysely instance. An adapter of another
 * copy of kysely is recognised by how the instance compiles a query; an unknown one is INVALID_CONFIG,
 * never a guess.
 *
 * @example
 * capabilitiesFor(db).supportsTransactionalDdl // true on PostgreSQL and SQLite
 */
export function capabilitiesFor(db: Kysely<any>): DialectCapabilities {
  const adapter = db.getExecutor().adapter;
  for (const [type, capabilities] of BY_ADAPTER) {
    if (adapter instanceof type) return capabilities;
  }
  const compiled = db.selectFrom('t').select('c').limit(1).compile().sql;
  const match = BY_COMPILED_SQL.find(([text]) => text === compiled);
  if (match) return match[1];
  throw new EvolveError(
    'INVALID_CONFIG',
    `evolve supports the PostgreSQL, MySQL/MariaDB and SQLite Kysely dialects; this instance uses ${adapter.constructor.name}`,
  );
}

/**
 * The dialect of a Kysely instance (see `capabilitiesFor`).
 *
 * @example
 * dialectOf(db); // 'postgres' on PostgreSQL and PGlite
 */
export function dialectOf(db: Kysely<any>): SqlDialect {
  return capabilitiesFor(db).dialect;
}
