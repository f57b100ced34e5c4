import type { MongoModelStatus } from '@evolve/document';
import { type LoadConfigOptions, loadConfig, loadMigrations, type ResolvedConfig } from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
import { redact, withDatabase } from './open-database.ts';
import { type JournalStatus, journalStatus } from './sql-api.ts';

/** The MongoDB database of the document models: its journal, and the stored versions of each model. */
export interface DocumentsStatus {
  database: string;
  journal: JournalStatus;
  /** Per document model: documents at each version (a histogram) and sweep checkpoints. */
  models: MongoModelStatus[];
}

export interface StatusResult extends JournalStatus {
  /** The database (password hidden) and its dialect. */
  database: string;
  dialect: string;
  /** Every migration in order with its state (in the SQL database, else in the MongoDB one). */
  migrations: { id: string; state: 'applied' | 'pending' | 'out-of-order' | 'modified' }[];
  /** When document models live in MongoDB. */
  documents?: DocumentsStatus;
}

/**
 * Compares the configured database's journal with the migrations folder: applied, pending, out-of-order
 * (pending but older than the newest applied), modified (applied, file changed since) and unknown ids.
 * When document models live in MongoDB, also how many documents of each sit at each version, and the
 * checkpoints of interrupted sweeps.
 *
 * @example
 * const { pending, documents } = await status({ cwd: '/app' });
 */
export async function status(
  options: LoadConfigOptions & { config?: ResolvedConfig } = {},
): Promise<StatusResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  const sql = sqlDatabase(config);
  const journal = sql ? await withDatabase(sql, (db) => journalStatus(db, migrations)) : undefined;
  const target = config.documents;
  const documents: DocumentsStatus | undefined = target
    ? await withMongo(target, async (db) => {
        const { mongoDocumentStatus, mongoJournalStatus } = await import('@evolve/document');
        const mongo = await mongoJournalStatus(db, migrations);
        return {
          database: redact(target.url),
          journal: {
            applied: mongo.applied.map((a) => a.id),
            pending: mongo.pending,
            outOfOrder: mongo.outOfOrder,
            modified: mongo.modified,
            unknown: mongo.unknownApplied,
            inProgress: [],
          },
          models: await mongoDocumentStatus(db, { migrations }),
        };
      })
    : undefined;
  const main = (journal ?? documents?.journal) as JournalStatus;
  const state = (id: string) =>
    main.modified.includes(id)
      ? 'modified'
      : main.applied.includes(id)
        ? 'applied'
        : main.outOfOrder.includes(id)
          ? 'out-of-order'
          : 'pending';
  return {
    database: redact(config.database.url),
    dialect: config.database.dialect,
    ...main,
    migrations: migrations.map((m) => ({ id: m.id, state: state(m.id) })),
    ...(documents ? { documents } : {}),
  };
}
