export type { BackfillPlan, BackfillSource, CompiledStep, SqlDialect } from './compiled-step.ts';
export type { CompileOptions } from './dialects/compile-sql-steps.ts';
export { compileSqlSteps } from './dialects/compile-sql-steps.ts';
export { mysqlColumnType } from './dialects/mysql/mysql-types.ts';
export { postgresColumnType } from './dialects/postgres/postgres-types.ts';
export { sqliteColumnType } from './dialects/sqlite/sqlite-types.ts';
export type { DetectDriftOptions, Drift, DriftKind } from './drift/detect-drift.ts';
export { detectDrift } from './drift/detect-drift.ts';
export * from './plan/index.ts';
export * from './pull/index.ts';
export * from './runtime/index.ts';
export type {
  BackfillValue,
  ColumnSpec,
  ForeignKeySpec,
  RawSqlByDialect,
  SqlStep,
  SqlStepKind,
} from './steps/sql-step.ts';
export { isDestructiveStep } from './steps/sql-step.ts';
export * from './steps/step-constructors.ts';
export * from './verify/index.ts';
