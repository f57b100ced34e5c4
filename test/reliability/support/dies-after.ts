import { createRequire } from 'node:module';
import type { TestDatabase } from '@evolve/harness';
import { Kysely, MysqlDialect } from 'kysely';

// mysql2 is the harness's dependency; resolve it from there.
const require = createRequire(new URL('../../harness/package.json', import.meta.url));

/** The message of the error a run "killed" by `diesAfter` stops with. */
export const KILLED = 'killed right after the statement took effect';

/**
 * A Kysely instance on the same MySQL database whose process "dies" right after the first statement
 * matching `pattern` has run (and, being DDL, committed): the statement's result never reaches evolve, so
 * nothing after it is recorded, as with SIGKILL at that instant. Later statements run normally.
 */
export function diesAfter(database: TestDatabase, pattern: RegExp): Kysely<any> {
  const mysql = require('mysql2') as { createPool(options: { uri: string; connectionLimit: number }): never };
  let died = false;
  return new Kysely<any>({
    dialect: new MysqlDialect({ pool: mysql.createPool({ uri: database.url ?? '', connectionLimit: 2 }) }),
    log(event) {
      if (event.level !== 'query' || died || !pattern.test(event.query.sql)) return;
      died = true;
      throw new Error(KILLED);
    },
  });
}
