// The CLI's one door into MongoDB (the driver and @evolve/document's MongoDB functions), loaded only when a
// command reaches a mongodb:// database.
import { EvolveError, type Migration, replayMigrations } from '@evolve/core';
import type { DatabaseTarget, ResolvedConfig } from '@evolve/project';
import type { Db } from 'mongodb';
import { loadDriver } from './load-driver.ts';
import { redact } from './open-database.ts';

/** The configured SQL database, or undefined when `database.url` is a MongoDB URL. */
export function sqlDatabase(config: ResolvedConfig): DatabaseTarget | undefined {
  return config.database.dialect === 'mongodb' ? undefined : config.database;
}

/** The SQL dialect of the configured database, or undefined when it is MongoDB. */
export function sqlDialectOf(config: ResolvedConfig): 'postgres' | 'mysql' | 'sqlite' | undefined {
  const { dialect } = config.database;
  return dialect === 'mongodb' ? undefined : dialect;
}

/**
 * Refuses a MongoDB-only configuration for migrations that have sql models: their tables need a SQL
 * database (`database.url`), with the documents beside it (`database.documents`).
 */
export function assertSqlModelsHaveDatabase(config: ResolvedConfig, migrations: readonly Migration[]): void {
  if (sqlDatabase(config) || migrations.length === 0) return;
  const sql = Object.values(replayMigrations(migrations).latest.models).filter((m) => m.target === 'sql');
  if (sql.length === 0) return;
  throw new EvolveError(
    'INVALID_CONFIG',
    `the sql models ${sql.map((m) => m.name).join(', ')} need a SQL database, but database.url is MongoDB: ` +
      'set database.url to the SQL database and database.documents to the MongoDB URL',
    { path: 'database.url' },
  );
}

/** The database a MongoDB URL names in its path (`mongodb://host/app` -> `app`). */
function databaseName(target: DatabaseTarget): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/i.exec(target.url)?.[1] ?? '';
  const name = decodeURIComponent(path);
  if (name === '') {
    throw new EvolveError(
      'INVALID_CONFIG',
      `name the database in the MongoDB URL's path (mongodb://host:27017/app): ${redact(target.url)}`,
      { path: 'database.url' },
    );
  }
  return name;
}

/**
 * Connects to a MongoDB database (MongoDB, or FerretDB: the same driver), runs `work`, always closes.
 *
 * @example
 * const pending = await withMongo(config.documents!, (db) => mongoJournalStatus(db, migrations));
 */
export async function withMongo<T>(target: DatabaseTarget, work: (db: Db) => Promise<T>): Promise<T> {
  const name = databaseName(target);
  const { MongoClient } = await loadDriver('mongodb', 'mongodb:// URLs', () => import('mongodb'));
  const client = new MongoClient(target.location, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    throw new EvolveError('CONNECTION_FAILED', `cannot reach MongoDB: ${(error as Error).message}`, {
      path: redact(target.url),
      cause: error,
    });
  }
  try {
    return await work(client.db(name));
  } finally {
    await client.close().catch(() => {});
  }
}
