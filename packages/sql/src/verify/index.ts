export type { PropertyFinding, VerifyMigrationsOptions } from './verify-migrations.ts';
export { DEFAULT_PROPERTY_RUNS, DEFAULT_PROPERTY_SEED, verifyMigrations } from './verify-migrations.ts';
