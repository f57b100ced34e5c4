import { existsSync } from 'node:fs';
import { EvolveError } from '@evolve/core';
import {
  type LoadConfigOptions,
  loadConfig,
  loadMigrations,
  type ResolvedConfig,
  replaySnapshots,
} from '@evolve/project';
import { sqlDatabase, sqlDialectOf } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';
import { journalStatus, migrationSqlSteps, type SqlStepPreview } from './sql-api.ts';

export interface SqlPreviewOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /** Default: the configured database's dialect. */
  dialect?: 'postgres' | 'mysql' | 'sqlite';
  /** Migration ids to show. Default: the pending ones (asking the database), or all with `all`. */
  ids?: readonly string[];
  all?: boolean;
  direction?: 'up' | 'down';
}

export interface SqlPreviewResult {
  dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Per migration: its steps, and the SQL text as @evolve/sql renders it. */
  migrations: { id: string; steps: SqlStepPreview[]; text: string }[];
}

/**
 * The exact SQL of migrations for a dialect, compiled by @evolve/sql's planner: the selected ids, every
 * migration with `all`, else the ones the configured database has not applied.
 *
 * @example
 * const { migrations } = await sqlPreview({ cwd: '/app', dialect: 'postgres', all: true });
 */
export async function sqlPreview(options: SqlPreviewOptions = {}): Promise<SqlPreviewResult> {
  const config = options.config ?? (await loadConfig(options));
  const sql = sqlDatabase(config);
  const dialect = options.dialect ?? sqlDialectOf(config);
  if (!dialect) {
    throw new EvolveError(
      'INVALID_CONFIG',
      'the configured database is MongoDB, which runs no SQL: pass --dialect postgres, mysql or sqlite to see the SQL of the sql models',
      { path: 'database.url' },
    );
  }
  const migrations = await loadMigrations(config);
  let ids: readonly string[];
  if (options.ids && options.ids.length > 0) {
    for (const id of options.ids) {
      if (!migrations.some((m) => m.id === id)) {
        throw new EvolveError('NOT_FOUND', `no migration ${id} in the migrations folder`, { path: id });
      }
    }
    ids = options.ids;
  } else if (options.all) {
    ids = migrations.map((m) => m.id);
  } else if (!sql || (sql.driver === 'better-sqlite3' && !existsSync(sql.location))) {
    // no SQL database (MongoDB), or no database file yet: everything is pending (and none is created)
    ids = migrations.map((m) => m.id);
  } else {
    ids = (await withDatabase(sql, (db) => journalStatus(db, migrations))).pending;
  }
  const snapshots = replaySnapshots(migrations);
  const out: SqlPreviewResult['migrations'] = [];
  for (const [i, migration] of migrations.entries()) {
    if (!ids.includes(migration.id)) continue;
    const direction = options.direction ?? 'up';
    // The planner wants the schema before the migration (at its `from` hash) in both directions.
    const before = snapshots[i]!;
    out.push({ id: migration.id, ...(await migrationSqlSteps(migration, { dialect, direction, before })) });
  }
  return { dialect, migrations: out };
}
