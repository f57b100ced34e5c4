// @evolve/project: an evolve project's files, without a database. The config (evolve.config.ts), the schema
// module, the migrations folder (generate, rendering, index.ts, snapshot.json, evolve.sum) and the checks
// that need no database. The evolve CLI and application code that generates or checks migrations both use
// it; it imports no database driver (@evolve/sql and @evolve/document load only inside the functions that
// render or verify a migration, and they import no driver either).

export { prefetchBundle, startBundler } from './bundle-module.ts';
export { type CheckFinding, type CheckOptions, type CheckResult, check } from './check.ts';
export { type ComposedMigration, composeMigration } from './compose-migration.ts';
export { type DatabaseConfig, defineConfig, type EvolveConfig } from './define-config.ts';
export { type DatabaseTarget, parseDatabaseUrl } from './dialects/parse-database-url.ts';
export { type FolderWrite, writeFolderAtomically } from './folder-transaction.ts';
export { type GenerateOptions, type GenerateResult, generate } from './generate.ts';
export { importModule, isEvolveErrorLike } from './import-module.ts';
export { detectPackageManager, installCommand, type PackageManager } from './install-command.ts';
export {
  CONFIG_FILES,
  DEFAULT_DATABASE_URL,
  type LoadConfigOptions,
  loadConfig,
  type ResolvedConfig,
} from './load-config.ts';
export { loadMigrations } from './load-migrations.ts';
export { loadModelSnapshot, loadSchema } from './load-schema.ts';
export {
  INDEX_FILE,
  listMigrationFiles,
  type MigrationFile,
  readSum,
  renderIndex,
  SNAPSHOT_FILE,
} from './migrations-folder.ts';
export { missingPackage } from './missing-package.ts';
export {
  type PendingChanges,
  pendingChanges,
  type RenameAnswer,
  type RenameQuestion,
  type ResolveRenames,
  renameCandidates,
} from './pending-changes.ts';
export { rehash } from './rehash.ts';
export {
  describeChange,
  type FindingLike,
  type RenderMigrationInput,
  renderMigration,
} from './render-migration.ts';
export { replaySnapshots } from './replay-snapshots.ts';
export {
  computeSum,
  formatSum,
  parseSum,
  SUM_FILE,
  type SumFile,
  type SumProblem,
  sumOfEntries,
  verifySum,
} from './sum-file.ts';
