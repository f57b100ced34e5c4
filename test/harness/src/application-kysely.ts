import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';

/**
 * A Kysely instance built the way an application builds it from the README: a plain `pg.Pool` (or mysql2
 * pool) in Kysely's dialect, and no 'error' listener anywhere. Unlike `kyselyFor`, whose pools swallow
 * their idle clients' errors, nothing here hides what the driver does when the server drops a connection.
 *
 * @example
 * const db = await applicationKysely('postgres', 'postgres://postgres@127.0.0.1:5432/app');
 */
export async function applicationKysely(dialect: 'postgres' | 'mysql', url: string): Promise<Kysely<any>> {
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
  }
  const mysql = await import('mysql2');
  return new Kysely({ dialect: new MysqlDialect({ pool: mysql.createPool({ uri: url }) }) });
}
