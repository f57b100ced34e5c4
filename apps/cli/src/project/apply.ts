import { EvolveError } from '@evolve/core';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { loadMigrations } from './load-migrations.ts';
import { withDatabase } from './open-database.ts';
import { type RunResult, runMigrate, runRollback } from './sql-api.ts';

/** Progress events as @evolve/sql's `migrate` reports them (`migration-start`, `step`, `backfill`, ...). */
export type ProgressEvent = { type: string; [key: string]: unknown };

export interface ApplyOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /** up: stop after this id. down: revert down to this id (it stays applied); `'0'` reverts everything. */
  to?: string;
  /** Rows per backfill batch. */
  batchSize?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** down: accept steps that lose data without the migration acknowledging them. */
  acknowledgeDataLoss?: boolean;
}

/**
 * Applies pending migrations to the configured database through @evolve/sql's `migrate` (journal, lock,
 * checksums, batched backfills). Returns the runner's result; its `error` is set instead of throwing.
 *
 * @example
 * const result = await up({ cwd: '/app', to: '0003_split_name' });
 */
export async function up(options: ApplyOptions = {}): Promise<RunResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  if (options.to && !migrations.some((m) => m.id === options.to)) {
    throw new EvolveError('NOT_FOUND', `no migration ${options.to} in the migrations folder`, {
      path: options.to,
    });
  }
  return withDatabase(config.database, (db) =>
    runMigrate(db, {
      migrations,
      ...(options.to ? { to: options.to } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }),
  );
}

/**
 * Reverts applied migrations through @evolve/sql's `rollback`: by default the last applied one; with `to`,
 * every migration after it (`'0'`: all of them).
 *
 * @example
 * await down({ cwd: '/app' }); // reverts the last applied migration
 */
export async function down(options: ApplyOptions = {}): Promise<RunResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  const to = options.to;
  if (to !== undefined && to !== '0' && !migrations.some((m) => m.id === to)) {
    throw new EvolveError('NOT_FOUND', `no migration ${to} in the migrations folder`, { path: to });
  }
  return withDatabase(config.database, async (db) => {
    return runRollback(db, {
      migrations,
      ...(to !== undefined ? { to } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.acknowledgeDataLoss ? { acknowledgeDataLoss: true } : {}),
    });
  });
}
