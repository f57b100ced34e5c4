import type { Change } from '@evolve/core';
import { composeMigration } from './compose-migration.ts';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { sqlDialectOf } from './mongo-api.ts';
import { pendingChanges, type ResolveRenames } from './pending-changes.ts';
import type { FindingLike } from './render-migration.ts';
import { migrationSqlSteps, type SqlStepPreview } from './sql-api.ts';

export interface PlanOptions extends LoadConfigOptions, ResolveRenames {
  config?: ResolvedConfig;
  /** Dialect of the SQL preview. Default: the configured database's. */
  dialect?: 'postgres' | 'mysql' | 'sqlite';
  /** The name `generate` would be given (it only changes the id). */
  name?: string;
}

export interface PlanResult {
  /** False when the models match the latest snapshot. */
  changed: boolean;
  /** The id `generate` would give the migration (absent when nothing changed). */
  id?: string;
  changes: readonly Change[];
  findings: readonly FindingLike[];
  /** `mongodb` when the configured database is MongoDB and no dialect was asked for (then no SQL steps). */
  dialect: 'postgres' | 'mysql' | 'sqlite' | 'mongodb';
  /** The SQL steps of the migration `generate` would write (sql models only). */
  steps: readonly SqlStepPreview[];
  /** Their SQL script: byte for byte what `evolve sql <id>` prints for the written migration. */
  sql: string;
}

/**
 * What `generate` would write, without writing anything: the pending changes with their risks, the lint
 * findings, and the SQL of that very migration for one dialect (the same `composeMigration` produces both,
 * and the steps compile as `evolve sql` compiles the written module).
 *
 * @example
 * const { changes, findings, sql } = await plan({ cwd: '/app', dialect: 'postgres' });
 */
export async function plan(options: PlanOptions = {}): Promise<PlanResult> {
  const config = options.config ?? (await loadConfig(options));
  const dialect = options.dialect ?? sqlDialectOf(config);
  const pending = await pendingChanges(config, options);
  const { changeSet, previous } = pending;
  if (changeSet.changes.length === 0) {
    return { changed: false, changes: [], findings: [], dialect: dialect ?? 'mongodb', steps: [], sql: '' };
  }
  const composed = await composeMigration(pending, {
    migrationsDir: config.migrationsDir,
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  const compiled = dialect
    ? await migrationSqlSteps(composed.migration, { dialect, direction: 'up', before: previous })
    : { steps: [], text: '' };
  return {
    changed: true,
    id: composed.id,
    changes: composed.changes,
    findings: composed.findings,
    dialect: dialect ?? 'mongodb',
    steps: compiled.steps,
    sql: compiled.text,
  };
}
