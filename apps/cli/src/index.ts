// The programmatic API of the evolve CLI: what each command does, as a plain async function returning data.
// What needs no database (config, generate, rendering, the sum file, rehash) comes from @evolve/project and is
// re-exported here unchanged; what opens a database lives in this package. Heavy modules (kysely, drivers,
// @evolve/sql, @evolve/document) load only inside the functions that use them.
export {
  computeSum,
  type DatabaseConfig,
  type DatabaseTarget,
  defineConfig,
  type EvolveConfig,
  formatSum,
  type GenerateOptions,
  type GenerateResult,
  generate,
  type LoadConfigOptions,
  loadConfig,
  loadMigrations,
  loadModelSnapshot,
  loadSchema,
  parseDatabaseUrl,
  parseSum,
  type RenameAnswer,
  type RenameQuestion,
  type RenderMigrationInput,
  type ResolvedConfig,
  rehash,
  renderMigration,
  type SumFile,
  type SumProblem,
  verifySum,
} from '@evolve/project';
export { type ApplyOptions, down, type ProgressEvent, up } from './project/apply.ts';
export { type CheckFinding, type CheckOptions, type CheckResult, check } from './project/check.ts';
export { type DiscardOptions, type DiscardResult, discard } from './project/discard.ts';
export { type InitDatabase, type InitOptions, type InitResult, init } from './project/init.ts';
export { type OpenDatabase, openDatabase } from './project/open-database.ts';
export { type PlanOptions, type PlanResult, plan } from './project/plan.ts';
export { type PullCommandResult, type PullOptions, pull } from './project/pull.ts';
export type { JournalStatus, RunResult, SqlStepPreview } from './project/sql-api.ts';
export { type SqlPreviewOptions, type SqlPreviewResult, sqlPreview } from './project/sql-preview.ts';
export { type StatusResult, status } from './project/status.ts';
export { type SweepModelOptions, type SweepModelProgress, sweepModel } from './project/sweep-model.ts';
