import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EvolveError, type PulledModel, type PullNote } from '@evolve/core';
import {
  type DatabaseTarget,
  generate,
  type LoadConfigOptions,
  listMigrationFiles,
  loadConfig,
  loadMigrations,
  loadModelSnapshot,
  type ResolvedConfig,
} from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';

export interface PullOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /** Only these tables (default: every table but evolve's own). */
  tables?: readonly string[];
  /** Record the baseline migration as applied in the database (a journal row; nothing else is run). */
  markApplied?: boolean;
  /** Replace an existing models file. */
  force?: boolean;
  /** MongoDB: documents sampled per collection (default 100). */
  sample?: number;
}

export interface PullCommandResult {
  /** The models file written (absolute path). */
  schemaFile: string;
  /** The models, by name, with their tables. */
  models: { name: string; table: string }[];
  /** The baseline migration (absent when no table could be modelled). */
  baseline?: { id: string; file: string };
  /** Whether the baseline is now recorded as applied in the database. */
  markedApplied: boolean;
  /** What the models leave out or only approximate, by table. */
  notes: PullNote[];
}

/**
 * `evolve pull`: reads the configured SQL database's tables (or, with a `mongodb://` URL, samples `sample`
 * documents per collection), writes the models file (the config's `schema`)
 * and a baseline migration that creates them from nothing (through `generate`, so the folder's snapshot,
 * index and sum come with it), and with `markApplied` records the baseline as applied in that database. The
 * migrations folder must be empty, and an existing models file is only replaced with `force`.
 *
 * @example
 * const result = await pull({ cwd: '/app', tables: ['users', 'orders'], markApplied: true });
 * for (const n of result.notes) console.log(`${n.table}: ${n.reason}`);
 */
export async function pull(options: PullOptions = {}): Promise<PullCommandResult> {
  const config = options.config ?? (await loadConfig(options));
  const target = sqlDatabase(config);
  const documents = target ? undefined : config.documents;
  if (listMigrationFiles(config.migrationsDir).length > 0) {
    throw new EvolveError(
      'WOULD_OVERWRITE',
      'the migrations folder already has migrations: evolve pull starts a history, so it needs an empty folder',
      { path: config.migrationsDir },
    );
  }
  const existed = existsSync(config.schemaPath);
  if (existed && !options.force) {
    throw new EvolveError(
      'WOULD_OVERWRITE',
      'the models file already exists: pass --force to replace it with the pulled models',
      { path: config.schemaPath },
    );
  }
  let pulled: { source: string; snapshot: { hash: string }; models: PulledModel[]; notes: PullNote[] };
  if (target) {
    const { pullSchema } = await import('@evolve/sql');
    const dialect = target.dialect as 'postgres' | 'mysql' | 'sqlite';
    pulled = await withDatabase(target, (db) =>
      pullSchema(db, { dialect, ...(options.tables ? { tables: options.tables } : {}) }),
    );
  } else {
    const { pullDocuments } = await import('@evolve/document');
    pulled = await withMongo(documents as DatabaseTarget, (db) =>
      pullDocuments(db, {
        ...(options.sample !== undefined ? { sample: options.sample } : {}),
        ...(options.tables ? { collections: options.tables } : {}),
      }),
    );
  }
  const before = existed ? readFileSync(config.schemaPath, 'utf8') : undefined;
  mkdirSync(dirname(config.schemaPath), { recursive: true });
  writeFileSync(config.schemaPath, pulled.source);
  let generated: Awaited<ReturnType<typeof generate>>;
  try {
    // the file, loaded as every command loads it, must give the pulled snapshot
    const written = await loadModelSnapshot(config);
    if (written.hash !== pulled.snapshot.hash) {
      throw new EvolveError(
        'INVALID_SCHEMA',
        'the written models file describes another schema than the one pulled (a bug in evolve pull: please report it)',
        { path: config.schemaPath },
      );
    }
    generated = await generate({ config, name: 'baseline' });
  } catch (error) {
    // the models file goes back to what it was: none, or the one --force would have replaced
    if (before === undefined) rmSync(config.schemaPath, { force: true });
    else writeFileSync(config.schemaPath, before);
    throw error;
  }
  const result: PullCommandResult = {
    schemaFile: config.schemaPath,
    models: pulled.models.map((m) => ({ name: m.name, table: m.table })),
    markedApplied: false,
    notes: pulled.notes,
  };
  if (generated.status === 'written') {
    result.baseline = { id: generated.id, file: generated.file };
    if (options.markApplied) {
      const baseline = (await loadMigrations(config)).find((m) => m.id === generated.id);
      if (!baseline) throw new EvolveError('NOT_FOUND', `${generated.id} is not in the migrations index`);
      if (target) {
        const { markApplied } = await import('@evolve/sql');
        await withDatabase(target, (db) => markApplied(db, baseline));
      } else {
        const { markMongoApplied } = await import('@evolve/document');
        await withMongo(documents as DatabaseTarget, (db) => markMongoApplied(db, baseline));
      }
      result.markedApplied = true;
    }
  }
  return result;
}
