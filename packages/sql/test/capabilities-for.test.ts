import { isEvolveError } from '@evolve/core';
import {
  DialectAdapterBase,
  DummyDriver,
  Kysely,
  MssqlQueryCompiler,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresQueryCompiler,
  type QueryCompiler,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { capabilitiesFor, capabilitiesOf, dialectOf } from '../src/index.ts';

/** An adapter that is no kysely adapter class (as one from a second copy of kysely is not). */
class ForeignPostgresLikeAdapter extends DialectAdapterBase {
  async acquireMigrationLock(): Promise<void> {}
  async releaseMigrationLock(): Promise<void> {}
}

function kyselyWith(adapter: DialectAdapterBase, compiler: () => QueryCompiler): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => adapter,
      createDriver: () => new DummyDriver(),
      createIntrospector: () => {
        throw new Error('not needed');
      },
      createQueryCompiler: compiler,
    },
  });
}

describe('the dialect of a Kysely instance is determined in one place', () => {
  it('takes it from a kysely adapter class', () => {
    const db = kyselyWith(new PostgresAdapter(), () => new PostgresQueryCompiler());
    expect(dialectOf(db)).toBe('postgres');
    expect(capabilitiesFor(db)).toBe(capabilitiesOf('postgres'));
  });

  it("recognises an adapter of another kysely copy by how the instance compiles a query, whatever the class's name", () => {
    const cases = [
      [() => new PostgresQueryCompiler(), 'postgres'],
      [() => new MysqlQueryCompiler(), 'mysql'],
      [() => new SqliteQueryCompiler(), 'sqlite'],
    ] as const;
    for (const [compiler, dialect] of cases) {
      expect(dialectOf(kyselyWith(new ForeignPostgresLikeAdapter(), compiler))).toBe(dialect);
    }
  });

  it('refuses a dialect it does not support with INVALID_CONFIG instead of guessing', () => {
    const db = kyselyWith(new ForeignPostgresLikeAdapter(), () => new MssqlQueryCompiler());
    expect(() => capabilitiesFor(db)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    let error: unknown;
    try {
      capabilitiesOf('oracle' as never);
    } catch (e) {
      error = e;
    }
    expect(isEvolveError(error) && error.code === 'INVALID_CONFIG' && error.path === 'dialect').toBe(true);
  });
});
