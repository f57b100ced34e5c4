import { EvolveError } from '@evolve/core';
import type * as DocumentApi from '@evolve/document';
import { type LoadConfigOptions, loadConfig, loadMigrations, type ResolvedConfig } from '@evolve/project';
import type { Db } from 'mongodb';
import { assertSqlModelsHaveDatabase, sqlDatabase, withMongo } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';
import { type RunResult, runMigrate, runRollback } from './sql-api.ts';

/**
 * What `up` / `down` did: the SQL runner's result, with the MongoDB database's migrations after the SQL
 * ones (marked `database: 'documents'`) when document models live there, and what it could not do.
 */
export interface ApplyResult extends Omit<RunResult, 'applied'> {
  applied: (RunResult['applied'][number] | DocumentsMigrationResult)[];
  /** Things not done and not claimed (e.g. validators on a server without them). */
  warnings?: { code: string; message: string; path?: string }[];
}

/** One migration run on the MongoDB database of the document models. */
export interface DocumentsMigrationResult {
  id: string;
  direction: 'up' | 'down';
  status: 'Success' | 'Error' | 'NotExecuted';
  durationMs?: number;
  steps: string[];
  database: 'documents';
}

/** Runs the MongoDB half of up/down and adds it to the SQL half's result. */
async function withDocuments(
  config: ResolvedConfig,
  sql: ApplyResult,
  work: (db: Db, document: typeof DocumentApi) => Promise<DocumentApi.MongoMigrateResult>,
): Promise<ApplyResult> {
  if (sql.error || !config.documents) return sql;
  const document = await import('@evolve/document');
  const mongo = await withMongo(config.documents, (db) => work(db, document));
  return {
    ...sql,
    applied: [...sql.applied, ...mongo.applied.map((a) => ({ ...a, database: 'documents' as const }))],
    ...(mongo.error ? { error: mongo.error } : {}),
    ...(mongo.warnings.length > 0 ? { warnings: mongo.warnings } : {}),
  };
}

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
 * checksums, batched backfills), and, when document models live in MongoDB, through @evolve/document's
 * `migrateMongo` there (journal, lease lock, collections and indexes, validators where the server has
 * them). Returns the runners' result; its `error` is set instead of throwing.
 *
 * @example
 * const result = await up({ cwd: '/app', to: '0003_split_name' });
 */
export async function up(options: ApplyOptions = {}): Promise<ApplyResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  if (options.to && !migrations.some((m) => m.id === options.to)) {
    throw new EvolveError('NOT_FOUND', `no migration ${options.to} in the migrations folder`, {
      path: options.to,
    });
  }
  assertSqlModelsHaveDatabase(config, migrations);
  const sql = sqlDatabase(config);
  const result: ApplyResult = sql
    ? await withDatabase(sql, (db) =>
        runMigrate(db, {
          migrations,
          ...(options.to ? { to: options.to } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
      )
    : { applied: [] };
  return withDocuments(config, result, (db, { migrateMongo }) =>
    migrateMongo(db, {
      migrations,
      ...(options.to ? { to: options.to } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }),
  );
}

/**
 * Reverts applied migrations through @evolve/sql's `rollback` (and @evolve/document's `rollbackMongo` on
 * a MongoDB database of document models): by default the last applied one; with `to`, every migration
 * after it (`'0'`: all of them).
 *
 * @example
 * await down({ cwd: '/app' }); // reverts the last applied migration
 */
export async function down(options: ApplyOptions = {}): Promise<ApplyResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  const to = options.to;
  if (to !== undefined && to !== '0' && !migrations.some((m) => m.id === to)) {
    throw new EvolveError('NOT_FOUND', `no migration ${to} in the migrations folder`, { path: to });
  }
  const sql = sqlDatabase(config);
  const result: ApplyResult = sql
    ? await withDatabase(sql, (db) =>
        runRollback(db, {
          migrations,
          ...(to !== undefined ? { to } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.acknowledgeDataLoss ? { acknowledgeDataLoss: true } : {}),
        }),
      )
    : { applied: [] };
  return withDocuments(config, result, (db, { rollbackMongo }) =>
    rollbackMongo(db, {
      migrations,
      ...(to !== undefined ? { to } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.acknowledgeDataLoss ? { acknowledgeDataLoss: true } : {}),
    }),
  );
}
