import { createRequire } from 'node:module';
import { Kysely, SqliteDialect } from 'kysely';

// better-sqlite3 is the harness's dependency; resolve it from there.
const require = createRequire(new URL('../../harness/package.json', import.meta.url));

/**
 * A Kysely instance whose SQLite file is opened on first use (as an application that opens its database
 * lazily), so that a file that cannot be opened fails inside the call under test, not before it.
 */
export function lazySqlite(file: string): Kysely<any> {
  const Database = require('better-sqlite3') as new (file: string, options?: object) => unknown;
  return new Kysely({
    dialect: new SqliteDialect({
      database: async () => new Database(file, { fileMustExist: false }) as never,
    }),
  });
}
