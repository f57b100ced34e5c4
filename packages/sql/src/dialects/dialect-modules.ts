import { EvolveError } from '@evolve/core';
import type { SqlDialect } from '../compiled-step.ts';
import { mysqlDialect } from './mysql/mysql-dialect.ts';
import { postgresDialect } from './postgres/postgres-dialect.ts';
import type { DialectModule } from './shared/dialect-module.ts';
import { sqliteDialect } from './sqlite/sqlite-dialect.ts';

const MODULES: Record<SqlDialect, DialectModule> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
};

/** The dialect module for a dialect name (PGlite uses `postgres`). */
export function dialectModule(dialect: SqlDialect): DialectModule {
  const module = MODULES[dialect];
  if (!module) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `unknown SQL dialect ${JSON.stringify(dialect)} (postgres, mysql, sqlite)`,
    );
  }
  return module;
}
