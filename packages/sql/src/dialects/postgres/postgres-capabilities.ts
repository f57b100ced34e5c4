import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { postgresChangeLog } from './postgres-change-log.ts';
import { postgresCompiler } from './postgres-compiler.ts';
import { postgresRuntime } from './postgres-runtime.ts';

/** PostgreSQL (and PGlite, which uses the same adapter and runs the same plans): everything evolve knows about the dialect, in one object. */
export const postgresCapabilities: DialectCapabilities = {
  dialect: 'postgres',
  supportsTransactionalDdl: true,
  concurrentIndexes: true,
  notValidConstraints: true,
  alterColumns: true,
  namedColumnChecks: true,
  collatedTextComparison: false,
  integerKeysGenerate: false,
  ...postgresCompiler,
  ...postgresRuntime,
  changeLog: postgresChangeLog,
};
