export type { BackfillPlan, BackfillSource, CompiledStep, SqlDialect } from './compiled-step.ts';
export * from './plan/index.ts';
export * from './runtime/index.ts';
