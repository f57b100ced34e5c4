import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvolveError, type Migration, serializeSnapshot } from '@evolve/core';
import {
  type FolderWrite,
  formatSum,
  INDEX_FILE,
  type LoadConfigOptions,
  listMigrationFiles,
  loadConfig,
  loadMigrations,
  type ResolvedConfig,
  readSum,
  renderIndex,
  replaySnapshots,
  SNAPSHOT_FILE,
  SUM_FILE,
  sumOfEntries,
  writeFolderAtomically,
} from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';
import { journalStatus } from './sql-api.ts';

export interface DiscardOptions extends LoadConfigOptions {
  /** A resolved configuration (skips loading one). */
  config?: ResolvedConfig;
}

export interface DiscardResult {
  /** The discarded migration's id. */
  id: string;
  /** Its module's absolute path (now removed). */
  file: string;
  /** The folder's files rewritten to their state before that migration was generated. */
  restored: string[];
  /** The folder's files removed with it (snapshot.json and evolve.sum when no migration is left). */
  removed: string[];
  /** Whether the database was asked (an embedded database file that does not exist yet has nothing applied). */
  checkedDatabase: boolean;
}

/** Whether the configured database exists at all: an embedded SQLite file or PGlite folder may not yet. */
function databaseExists(config: ResolvedConfig): boolean {
  const { driver, location } = config.database;
  if (driver === 'mongodb') return true;
  if (driver !== 'better-sqlite3' && driver !== 'pglite') return true;
  if (location === ':memory:' || location.includes('://')) return false;
  return existsSync(location);
}

/** The ids of `migrations` the database's journal has (applied, modified or half done). */
async function recordedIds(config: ResolvedConfig, migrations: readonly Migration[]): Promise<Set<string>> {
  const ids = new Set<string>();
  const sql = sqlDatabase(config);
  if (sql) {
    const journal = await withDatabase(sql, (db) => journalStatus(db, migrations));
    for (const id of [...journal.applied, ...journal.modified, ...journal.inProgress.map((p) => p.id)])
      ids.add(id);
  }
  if (config.documents) {
    const { mongoJournalStatus } = await import('@evolve/document');
    const journal = await withMongo(config.documents, (db) => mongoJournalStatus(db, migrations));
    for (const a of journal.applied) ids.add(a.id);
  }
  return ids;
}

/**
 * Undoes the newest `generate`: removes the newest migration module and restores `index.ts`, `snapshot.json`
 * and `evolve.sum` to what they were before it was generated (the snapshot replayed from the remaining
 * migrations, checked against the discarded migration's `from` hash; with no migration left, `index.ts` lists
 * none, as `init` wrote it, and the other two go). Refuses while the configured database
 * has the migration applied (revert it with `down` first), and when the folder has no migration.
 *
 * @example
 * await generate({ cwd: '/app' });
 * await discard({ cwd: '/app' }); // the folder is as it was before generate
 */
export async function discard(options: DiscardOptions = {}): Promise<DiscardResult> {
  const config = options.config ?? (await loadConfig(options));
  const dir = config.migrationsDir;
  const files = listMigrationFiles(dir);
  const last = files.at(-1);
  if (!last) throw new EvolveError('NOT_FOUND', 'there is no migration to discard', { path: dir });
  const migrations = await loadMigrations(config);
  const newest = migrations.at(-1);
  if (newest?.id !== last.id) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `${INDEX_FILE} does not end with ${last.id}, the newest migration file`,
      { path: join(dir, INDEX_FILE) },
    );
  }
  const checkedDatabase = databaseExists(config);
  if (checkedDatabase && (await recordedIds(config, migrations)).has(last.id)) {
    throw new EvolveError(
      'ALREADY_APPLIED',
      `${last.id} is applied in the database: revert it with \`evolve down\` first, then discard it`,
      { path: last.id },
    );
  }
  const remaining = migrations.slice(0, -1);
  const previous = replaySnapshots(remaining).at(-1)!;
  if (previous.hash !== newest.from) {
    throw new EvolveError(
      'INVALID_SNAPSHOT',
      `the migrations before ${last.id} replay to a snapshot other than the one it starts from: restore the folder from version control instead`,
      { path: last.path },
    );
  }
  const restored: string[] = [INDEX_FILE];
  const removed: string[] = [last.name];
  const sum = readSum(dir);
  const rest = sum?.files.filter((f) => f.name !== last.name) ?? [];
  const writes: FolderWrite[] = [
    { name: last.name, text: undefined },
    { name: INDEX_FILE, text: renderIndex(remaining.map((m) => m.id)) },
  ];
  for (const [file, text] of [
    [SNAPSHOT_FILE, remaining.length > 0 ? serializeSnapshot(previous) : undefined],
    [SUM_FILE, sum && rest.length > 0 ? formatSum(sumOfEntries(rest)) : undefined],
  ] as const) {
    if (text !== undefined) {
      writes.push({ name: file, text });
      restored.push(file);
    } else if (existsSync(join(dir, file))) {
      writes.push({ name: file, text: undefined });
      removed.push(file);
    }
  }
  writeFolderAtomically(dir, writes);
  return { id: last.id, file: last.path, restored, removed, checkedDatabase };
}
