import {
  DialectAdapterBase,
  DummyDriver,
  Kysely,
  MysqlQueryCompiler,
  PostgresQueryCompiler,
  type QueryCompiler,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  detectSqlJsonDialect,
  postgresJsonDialect,
  sqliteJsonDialect,
  sqlJsonDialectFor,
} from '../src/index.ts';

/** Named like a PostgreSQL adapter, but its instance compiles as another dialect does. */
class PostgresLookalikeAdapter extends DialectAdapterBase {
  async acquireMigrationLock(): Promise<void> {}
  async releaseMigrationLock(): Promise<void> {}
}

const kyselyWith = (compiler: () => QueryCompiler) =>
  new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresLookalikeAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: () => {
        throw new Error('not needed');
      },
      createQueryCompiler: compiler,
    },
  });

describe("the SQL document store takes @evolve/sql's determination of the dialect", () => {
  it('finds the JSON operations of the dialect the instance compiles as, never by the adapter class name', () => {
    expect(sqlJsonDialectFor(kyselyWith(() => new PostgresQueryCompiler()))).toBe(postgresJsonDialect);
    expect(sqlJsonDialectFor(kyselyWith(() => new SqliteQueryCompiler()))).toBe(sqliteJsonDialect);
    expect(() => detectSqlJsonDialect(kyselyWith(() => new MysqlQueryCompiler()))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CHANGE' }),
    );
  });

  it('takes a dialect named in options over the instance', () => {
    expect(
      sqlJsonDialectFor(
        kyselyWith(() => new PostgresQueryCompiler()),
        'sqlite',
      ),
    ).toBe(sqliteJsonDialect);
  });
});
