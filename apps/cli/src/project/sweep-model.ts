import { EvolveError } from '@evolve/core';
import type { DocumentStore } from '@evolve/document';
import {
  type LoadConfigOptions,
  loadConfig,
  loadMigrations,
  loadSchema,
  type ResolvedConfig,
} from '@evolve/project';
import { withMongo } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';

/** Progress of a sweep, as @evolve/document reports it after each batch. */
export interface SweepModelProgress {
  scanned: number;
  upgraded: number;
  skipped: number;
  conflicts: number;
  failed: number;
  total: number;
}

export interface SweepModelOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /** The document model's name. */
  model: string;
  /** Documents per batch. Default 2000 (the sweep's default). */
  batchSize?: number;
  /** At most this many documents per second. */
  rate?: number;
  /** Start over instead of resuming from the saved checkpoint. */
  restart?: boolean;
  onProgress?: (progress: SweepModelProgress) => void;
  /** Stops after the current batch; the checkpoint is kept so the next sweep resumes. */
  signal?: AbortSignal;
}

/**
 * Eagerly upgrades every stored document of a document model (in the MongoDB database of the document
 * models, else JSON documents in the configured SQL database) to the latest version with
 * @evolve/document's `sweep`: batches, rate limit, compare-and-set writes, and a checkpoint so an
 * interrupted sweep resumes.
 *
 * @example
 * const result = await sweepModel({ cwd: '/app', model: 'Event', batchSize: 200, rate: 1000 });
 */
export async function sweepModel(options: SweepModelOptions) {
  const config = options.config ?? (await loadConfig(options));
  const schema = await loadSchema(config);
  const model = schema.models[options.model];
  if (!model) {
    throw new EvolveError(
      'NOT_FOUND',
      `no model ${options.model} in the schema (models: ${Object.keys(schema.models).join(', ')})`,
      {
        path: options.model,
      },
    );
  }
  if (model.target !== 'document') {
    throw new EvolveError('INVALID_CONFIG', `${model.name} is a sql model; sweep upgrades document models`, {
      path: model.name,
    });
  }
  const migrations = await loadMigrations(config);
  const { createUpgrader, createMongoDocumentStore, createSqlDocumentStore, sweep } = await import(
    '@evolve/document'
  );
  const upgrader = createUpgrader({ model, migrations });
  const run = async (store: DocumentStore) => {
    // The sweep's default checkpoint key (see @evolve/document's sweep).
    const key = `${store.name}:${upgrader.model}@${upgrader.latestVersion}`;
    if (options.restart) await store.checkpoints?.clear(key);
    return sweep(store, upgrader, {
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.rate ? { rate: options.rate } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  if (config.documents) {
    return withMongo(config.documents, (db) => run(createMongoDocumentStore(db.collection(model.table))));
  }
  return withDatabase(config.database, (db) => run(createSqlDocumentStore(db, { table: model.table })));
}
