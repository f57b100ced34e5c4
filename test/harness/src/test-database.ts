import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { SqlDialectName, SqlEngineName } from './engines.ts';
import { DIALECT_OF } from './engines.ts';
import { waitFor } from './wait-for.ts';

/** A fresh, empty database that belongs to one test file; `destroy()` drops it. */
export interface TestDatabase {
  engine: SqlEngineName;
  dialect: SqlDialectName;
  /** The shared Kysely instance for this database. */
  db: Kysely<any>;
  /** A URL another process can use to reach the same database (absent for PGlite). */
  url?: string;
  /** Opens another, independent Kysely instance on the same database (for concurrency tests). */
  connect(options?: { poolSize?: number }): Kysely<any>;
  destroy(): Promise<void>;
}

/**
 * A pool whose idle clients may be terminated by the server (the test database is dropped WITH (FORCE)
 * while other instances still hold idle connections): without a listener, pg re-throws that as an
 * unhandled error and fails the run.
 */
function quietPool<P extends { on(event: 'error', listener: (error: Error) => void): unknown }>(pool: P): P {
  pool.on('error', () => {});
  return pool;
}

const uniqueName = () => `evolve_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Builds a Kysely instance for a URL (postgres://, mysql://, or a SQLite file path). */
export async function kyselyFor(
  dialect: SqlDialectName,
  url: string,
  options: { poolSize?: number } = {},
): Promise<Kysely<any>> {
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    return new Kysely({
      dialect: new PostgresDialect({
        pool: quietPool(new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 })),
      }),
    });
  }
  if (dialect === 'mysql') {
    const mysql = await import('mysql2');
    return new Kysely({
      dialect: new MysqlDialect({
        pool: mysql.createPool({ uri: url, connectionLimit: options.poolSize ?? 4 }),
      }),
    });
  }
  const Database = (await import('better-sqlite3')).default;
  return new Kysely({ dialect: new SqliteDialect({ database: new Database(url) }) });
}

async function createPostgres(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = await kyselyFor('postgres', serverUrl, { poolSize: 1 });
  await sql.raw(`create database "${name}"`).execute(admin);
  const url = withDatabase(serverUrl, name);
  const pg = (await import('pg')).default;
  const instances: Kysely<any>[] = [];
  const connect = (options: { poolSize?: number } = {}) => {
    const k = new Kysely<any>({
      dialect: new PostgresDialect({
        pool: quietPool(new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 })),
      }),
    });
    instances.push(k);
    return k;
  };
  const db = connect();
  return {
    engine: 'postgres',
    dialect: 'postgres',
    db,
    url,
    connect,
    async destroy() {
      await Promise.all(instances.map((k) => k.destroy().catch(() => {})));
      // pg's pool.end() resolves before its clients' backends have exited; a forced drop would kill them
      // and pg would report that as an uncaught 57P01 in whatever test runs next. Wait for them to go.
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: string }>`
            select count(*) as n from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`.execute(
            admin,
          );
          return Number(rows[0]?.n) === 0;
        },
        { timeoutMs: 10_000, what: `the sessions on ${name} to end` },
      ).catch((error: Error) => {
        // a session another process left open (a killed child): the forced drop below terminates it
        console.warn(`[evolve harness] ${error.message}; dropping the database with force`);
      });
      await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}

async function createMysql(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueName();
  const mysql = await import('mysql2');
  const admin = mysql.createPool({ uri: serverUrl, connectionLimit: 1 }).promise();
  await admin.query(`create database \`${name}\``);
  const url = withDatabase(serverUrl, name);
  const instances: Kysely<any>[] = [];
  const connect = (options: { poolSize?: number } = {}) => {
    const k = new Kysely<any>({
      dialect: new MysqlDialect({
        pool: mysql.createPool({ uri: url, connectionLimit: options.poolSize ?? 4 }),
      }),
    });
    instances.push(k);
    return k;
  };
  const db = connect();
  return {
    engine: 'mysql',
    dialect: 'mysql',
    db,
    url,
    connect,
    async destroy() {
      await Promise.all(instances.map((k) => k.destroy().catch(() => {})));
      await admin.query(`drop database if exists \`${name}\``);
      await admin.end();
    },
  };
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-sqlite-'));
  const file = join(dir, 'test.db');
  const Database = (await import('better-sqlite3')).default;
  const instances: Kysely<any>[] = [];
  const connect = () => {
    const k = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    instances.push(k);
    return k;
  };
  const db = connect();
  return {
    engine: 'sqlite',
    dialect: 'sqlite',
    db,
    url: file,
    connect,
    async destroy() {
      await Promise.all(instances.map((k) => k.destroy().catch(() => {})));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPglite(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const client = new PGlite();
  // PGlite is one in-process connection: every Kysely instance shares it.
  const connect = () => new Kysely<any>({ dialect: new PGliteDialect(client as never) });
  const db = connect();
  return {
    engine: 'pglite',
    dialect: 'postgres',
    db,
    connect,
    async destroy() {
      await db.destroy().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** Creates an isolated database on the given engine. */
export async function createTestDatabase(
  engine: SqlEngineName,
  urls: Partial<Record<string, string>>,
): Promise<TestDatabase> {
  switch (engine) {
    case 'sqlite':
      return createSqlite();
    case 'pglite':
      return createPglite();
    case 'postgres':
      return createPostgres(required(urls.postgres, engine));
    case 'mysql':
      return createMysql(required(urls.mysql, engine));
  }
}

function required(url: string | undefined, engine: string): string {
  if (!url) throw new Error(`no URL for ${engine}`);
  return url;
}

export { DIALECT_OF };
