import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { sqliteChangeLog } from './sqlite-change-log.ts';
import { sqliteCompiler } from './sqlite-compiler.ts';
import { sqliteRuntime } from './sqlite-runtime.ts';

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
};
