import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { mysqlChangeLog } from './mysql-change-log.ts';
import { mysqlCompiler } from './mysql-compiler.ts';
import { mysqlRuntime } from './mysql-runtime.ts';

/** MySQL 8 and MariaDB 10.x: everything evolve knows about the dialect, in one object. */
export const mysqlCapabilities: DialectCapabilities = {
  dialect: 'mysql',
  supportsTransactionalDdl: false,
  concurrentIndexes: false,
  notValidConstraints: false,
  alterColumns: true,
  namedColumnChecks: false,
  collatedTextComparison: true,
  integerKeysGenerate: false,
  ...mysqlCompiler,
  ...mysqlRuntime,
  changeLog: mysqlChangeLog,
};
