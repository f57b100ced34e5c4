// The programmatic API of the evolve CLI: what each command does, as a plain async function returning data.
// Heavy modules (kysely, drivers, @evolve/sql, @evolve/document) load only inside the functions that use them.
export { type ApplyOptions, down, type ProgressEvent, up } from './project/apply.ts';
export { type CheckFinding, type CheckOptions, type CheckResult, check } from './project/check.ts';
export { type DatabaseConfig, defineConfig, type EvolveConfig } from './project/define-config.ts';
export { type DiscardOptions, type DiscardResult, discard } from './project/discard.ts';
export { type GenerateOptions, type GenerateResult, generate } from './project/generate.ts';
export { type InitDatabase, type InitOptions, type InitResult, init } from './project/init.ts';
export { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './project/load-config.ts';
export { loadMigrations } from './project/load-migrations.ts';
export { loadModelSnapshot, loadSchema } from './project/load-schema.ts';
export { type OpenDatabase, openDatabase } from './project/open-database.ts';
export { type DatabaseTarget, parseDatabaseUrl } from './project/parse-database-url.ts';
export type { RenameAnswer, RenameQuestion } from './project/pending-changes.ts';
export { type PlanOptions, type PlanResult, plan } from './project/plan.ts';
export { type PullCommandResult, type PullOptions, pull } from './project/pull.ts';
export { rehash } from './project/rehash.ts';
export { type RenderMigrationInput, renderMigration } from './project/render-migration.ts';
export type { JournalStatus, RunResult, SqlStepPreview } from './project/sql-api.ts';
export { type SqlPreviewOptions, type SqlPreviewResult, sqlPreview } from './project/sql-preview.ts';
export { type StatusResult, status } from './project/status.ts';
export {
  computeSum,
  formatSum,
  parseSum,
  type SumFile,
  type SumProblem,
  verifySum,
} from './project/sum-file.ts';
export { type SweepModelOptions, type SweepModelProgress, sweepModel } from './project/sweep-model.ts';
