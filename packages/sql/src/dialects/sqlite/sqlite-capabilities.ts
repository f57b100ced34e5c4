import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { sqliteChangeLog } from './sqlite-change-log.ts';
import { sqliteCompiler } from './sqlite-compiler.ts';
import { sqliteExtras } from './sqlite-extras.ts';
import { sqliteRuntime } from './sqlite-runtime.ts';
import { sqliteTableRows } from './sqlite-table-rows.ts';

/** SQLite (better-sqlite3 and friends): everything evolve knows about the dialect, in one object. */
export const sqliteCapabilities: DialectCapabilities = {
  dialect: 'sqlite',
  supportsTransactionalDdl: true,
  concurrentIndexes: false,
  notValidConstraints: false,
  alterColumns: false,
  namedColumnChecks: true,
  collatedTextComparison: false,
  integerKeysGenerate: true,
  ...sqliteCompiler,
  ...sqliteRuntime,
  changeLog: sqliteChangeLog,
  isAutomaticIndex: (name) => name.startsWith('sqlite_autoindex_'),
  liveExtras: sqliteExtras,
  tableRows: sqliteTableRows,
  // measured at 42k-629k rows/s backfilling by SQL (fsyncs suffer most from a busy disk), about 6k
  // through a TS transform and 4.6M building an index (a file, 100k rows; see DEFAULT_COST_RATES); DDL
  // takes the database's write lock
  cost: {
    rates: { backfill: 150_000, transform: 10_000, scan: 2_000_000 },
    rewriteLock: 'exclusive',
    ddlLock: 'writes',
  },
};
