import { isAbsolute, resolve } from 'node:path';
import { EvolveError } from '@evolve/core';

/** How to reach a database: the SQL dialect (or MongoDB), the driver, and the driver's address. */
export interface DatabaseTarget {
  dialect: 'postgres' | 'mysql' | 'sqlite' | 'mongodb';
  driver: 'pg' | 'mysql2' | 'better-sqlite3' | 'pglite' | 'mongodb';
  /** The URL as configured (for messages). */
  url: string;
  /** Connection string (pg, mysql2, mongodb) or absolute file/folder path (SQLite, PGlite; `:memory:` kept). */
  location: string;
}

/**
 * Reads a database URL; the scheme selects the dialect: `postgres://` / `postgresql://` (PostgreSQL),
 * `mysql://` / `mariadb://` (MySQL / MariaDB), `file:` / `sqlite:` or a plain path (SQLite), `pglite:<dir>`
 * (embedded PGlite), `mongodb://` / `mongodb+srv://` (MongoDB, or a server speaking its protocol such as
 * FerretDB: document models only; name the database in the path). Relative SQLite and PGlite paths resolve
 * from `cwd`.
 *
 * @example
 * parseDatabaseUrl('file:./dev.db', '/app'); // { dialect: 'sqlite', driver: 'better-sqlite3', location: '/app/dev.db', ... }
 */
export function parseDatabaseUrl(url: string, cwd: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const file = (rest: string) =>
    rest === ':memory:' ? rest : isAbsolute(rest) ? rest : resolve(cwd, rest.replace(/^\/\/(?=\.)/, ''));
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return { dialect: 'postgres', driver: 'pg', url, location: url };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    return { dialect: 'mysql', driver: 'mysql2', url, location: url.replace(/^mariadb:/i, 'mysql:') };
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') {
    return { dialect: 'mongodb', driver: 'mongodb', url, location: url };
  }
  if (scheme === 'pglite') {
    const rest = url.slice('pglite:'.length);
    return { dialect: 'postgres', driver: 'pglite', url, location: rest === '' ? 'memory://' : file(rest) };
  }
  if (scheme === 'file' || scheme === 'sqlite') {
    const rest = url.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '');
    return { dialect: 'sqlite', driver: 'better-sqlite3', url, location: file(rest || './evolve.db') };
  }
  // A Windows drive letter or no scheme at all: a plain SQLite path.
  if (scheme === undefined || scheme.length === 1) {
    return { dialect: 'sqlite', driver: 'better-sqlite3', url, location: file(url) };
  }
  throw new EvolveError(
    'INVALID_CONFIG',
    `unsupported database URL scheme "${scheme}:" (use postgres://, mysql://, mongodb://, file:, sqlite: or pglite:)`,
    { path: 'database.url' },
  );
}
