export type { CompileMigrationOptions } from './compile-migration.ts';
export { compileMigration } from './compile-migration.ts';
export type { EmitOptions, EmittedSqlSection } from './emit-sql-section.ts';
export { emitSqlSection } from './emit-sql-section.ts';
export { parseSqlSection } from './parse-sql-section.ts';
export { planSqlMigration } from './plan-sql-migration.ts';
export type { PlanOptions } from './plan-sql-steps.ts';
export { planSqlSteps, typeChangeRewrites } from './plan-sql-steps.ts';
export { renderSql } from './render-sql.ts';
