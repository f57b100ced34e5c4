import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EvolveError } from '@evolve/core';
import type { DatabaseTarget } from '@evolve/project';
import type { Kysely } from 'kysely';
import { loadDriver } from './load-driver.ts';
import { redactSecrets } from './redact-secrets.ts';

/** An open database: the Kysely instance commands pass to the runners, and how to close it. */
export interface OpenDatabase {
  db: Kysely<any>;
  target: DatabaseTarget;
  close(): Promise<void>;
}

/**
 * Opens a Kysely instance for a configured database, loading only the driver it needs (an optional peer
 * dependency: a driver that is not installed is a `MISSING_DRIVER` error naming the package). SQLite and PGlite
 * files are created on first use (the embedded quick start needs no server).
 *
 * @example
 * const { db, close } = await openDatabase(config.database);
 */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.driver === 'mongodb') {
    throw new EvolveError(
      'INVALID_CONFIG',
      'this needs a SQL database, and the configured one is MongoDB (set database.url to the SQL database and database.documents to the MongoDB URL)',
      { path: redact(target.url) },
    );
  }
  const { Kysely, PostgresDialect, MysqlDialect, SqliteDialect } = await loadDriver(
    'kysely',
    'a database',
    () => import('kysely'),
  );
  try {
    let db: Kysely<any>;
    if (target.driver === 'pg') {
      const pg = (await loadDriver('pg', 'postgres:// URLs', () => import('pg'))).default;
      db = new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.location, max: 4 }) }),
      });
    } else if (target.driver === 'mysql2') {
      const mysql = await loadDriver('mysql2', 'mysql:// URLs', () => import('mysql2'));
      db = new Kysely({
        dialect: new MysqlDialect({ pool: mysql.createPool({ uri: target.location, connectionLimit: 4 }) }),
      });
    } else if (target.driver === 'pglite') {
      const { PGlite } = await loadDriver(
        '@electric-sql/pglite',
        'pglite: URLs',
        () => import('@electric-sql/pglite'),
      );
      const { PGliteDialect } = await loadDriver(
        'kysely-pglite-dialect',
        'pglite: URLs',
        () => import('kysely-pglite-dialect'),
      );
      if (!target.location.includes('://')) mkdirSync(target.location, { recursive: true });
      db = new Kysely({ dialect: new PGliteDialect(new PGlite(target.location)) });
    } else {
      const Database = (
        await loadDriver(
          'better-sqlite3',
          'SQLite databases (file: URLs, the default)',
          () => import('better-sqlite3'),
        )
      ).default;
      if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true });
      db = new Kysely({ dialect: new SqliteDialect({ database: new Database(target.location) }) });
    }
    return { db, target, close: () => db.destroy() };
  } catch (error) {
    if (error instanceof EvolveError) throw error;
    throw new EvolveError('CONNECTION_FAILED', `cannot open the database: ${(error as Error).message}`, {
      path: redact(target.url),
      cause: error,
    });
  }
}

/** The URL without its credentials, for messages (the one rule of `redactSecrets`). */
export function redact(url: string): string {
  return redactSecrets(url);
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '28P01',
  '3D000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
]);

/**
 * Whether the database is there to be read without creating it: an embedded SQLite file or PGlite folder
 * must exist (opening one creates it); a server is assumed there (reaching it is the connection's test).
 *
 * @example
 * if (databaseExists(config.database)) await withDatabase(config.database, (db) => db.selectFrom('users').selectAll().execute());
 */
export function databaseExists(target: DatabaseTarget): boolean {
  const embedded = target.driver === 'better-sqlite3' || target.driver === 'pglite';
  if (!embedded || target.location === ':memory:' || target.location.startsWith('memory://')) return true;
  return existsSync(target.location);
}

/** Opens the database, runs `work`, and always closes it; connection failures become CONNECTION_FAILED. */
export async function withDatabase<T>(
  target: DatabaseTarget,
  work: (db: Kysely<any>) => Promise<T>,
): Promise<T> {
  const open = await openDatabase(target);
  try {
    return await work(open.db);
  } catch (error) {
    // drivers connect on the first query: a refused or unresolvable server surfaces here, as a raw Node error
    if (!(error instanceof EvolveError) && UNREACHABLE.has(String((error as { code?: unknown })?.code))) {
      throw new EvolveError(
        'CONNECTION_FAILED',
        `cannot connect to the database: ${(error as Error).message}`,
        {
          path: redact(target.url),
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await open.close().catch(() => {});
  }
}
