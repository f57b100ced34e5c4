// The programmatic API of the evolve CLI: everything a command does, as plain async functions.
export { type CheckFinding, type CheckOptions, type CheckResult, check } from './project/check.ts';
export { type DatabaseConfig, defineConfig, type EvolveConfig } from './project/define-config.ts';
export { type GenerateOptions, type GenerateResult, generate } from './project/generate.ts';
export { type InitOptions, type InitResult, init } from './project/init.ts';
export { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './project/load-config.ts';
export { loadMigrations } from './project/load-migrations.ts';
export { loadModelSnapshot, loadSchema } from './project/load-schema.ts';
export { type DatabaseTarget, parseDatabaseUrl } from './project/parse-database-url.ts';
export type { RenameAnswer, RenameQuestion } from './project/pending-changes.ts';
export { rehash } from './project/rehash.ts';
export { type RenderMigrationInput, renderMigration } from './project/render-migration.ts';
export { computeSum, formatSum, parseSum, type SumFile, verifySum } from './project/sum-file.ts';
