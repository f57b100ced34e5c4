import { EvolveError } from '@evolve/core';
import { type Kysely, MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { mysqlCapabilities } from './mysql-capabilities.ts';
import { postgresCapabilities } from './postgres-capabilities.ts';
import { sqliteCapabilities } from './sqlite-capabilities.ts';

const BY_ADAPTER: readonly [abstract new (...args: never[]) => unknown, DialectCapabilities][] = [
  [PostgresAdapter, postgresCapabilities],
  [MysqlAdapter, mysqlCapabilities],
  [SqliteAdapter, sqliteCapabilities],
];

/**
 * The runner's capabilities for a Kysely instance, found from its dialect adapter (PGlite's dialect uses
 * PostgresAdapter). The one place that maps adapters to dialects.
 *
 * @example
 * capabilitiesFor(db).supportsTransactionalDdl // true on PostgreSQL and SQLite
 */
export function capabilitiesFor(db: Kysely<any>): DialectCapabilities {
  const adapter = db.getExecutor().adapter;
  for (const [type, capabilities] of BY_ADAPTER) {
    if (adapter instanceof type) return capabilities;
  }
  // A second copy of kysely in node_modules breaks instanceof: fall back to the class names.
  for (let proto = Object.getPrototypeOf(adapter); proto; proto = Object.getPrototypeOf(proto)) {
    const match = BY_ADAPTER.find(([type]) => type.name === proto.constructor?.name);
    if (match) return match[1];
  }
  throw new EvolveError(
    'INVALID_CONFIG',
    `migrate() supports PostgreSQL, MySQL/MariaDB and SQLite Kysely dialects; this instance uses ${adapter.constructor.name}`,
  );
}
