export { capabilitiesFor, capabilitiesOf, dialectOf } from '../dialects/capabilities-for.ts';
export type {
  BatchWrite,
  DialectCapabilities,
  RangeUpdate,
} from '../dialects/shared/dialect-capabilities.ts';
export type { JournalAnalysis } from './analyze-journal.ts';
export { analyzeJournal } from './analyze-journal.ts';
export { JOURNAL_TABLE, STEPS_TABLE } from './journal.ts';
export { type ImportModule, loadMigrations } from './load-migrations.ts';
export { migrate } from './migrate.ts';
export type {
  CompileContext,
  CompileMigration,
  MigrateOptions,
  MigrateProgressEvent,
  MigrateResult,
  MigrationDirection,
  MigrationResult,
} from './migrate-options.ts';
export { rollback } from './rollback.ts';
export type { MigrationStatus } from './status.ts';
export { status } from './status.ts';
