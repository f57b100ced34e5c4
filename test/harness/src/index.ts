export { applicationKysely } from './application-kysely.ts';
export type { EngineStatus } from './describe-engines.ts';
export { describeEngine, describeSqlEngines, engineStatus } from './describe-engines.ts';
export type { EngineAvailability, EngineName, SqlDialectName, SqlEngineName } from './engines.ts';
export { DIALECT_OF, requiredEngines, SQL_ENGINES } from './engines.ts';
export type { PgBouncer, PoolMode } from './start-pgbouncer.ts';
export { pgbouncerBinary, startPgbouncer } from './start-pgbouncer.ts';
export type { TestDatabase } from './test-database.ts';
export { createTestDatabase, kyselyFor } from './test-database.ts';
