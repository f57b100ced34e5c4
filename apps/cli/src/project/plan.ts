import type { Change, Migration, Snapshot } from '@evolve/core';
import {
  composeMigration,
  type FindingLike,
  type LoadConfigOptions,
  loadConfig,
  pendingChanges,
  type ResolvedConfig,
  type ResolveRenames,
} from '@evolve/project';
import { sqlDatabase, sqlDialectOf } from './mongo-api.ts';
import { databaseExists, withDatabase } from './open-database.ts';
import { type DocumentPlanCost, planDocumentCost } from './plan-document-cost.ts';
import { migrationSqlCost, migrationSqlSteps, type SqlCost, type SqlStepPreview } from './sql-api.ts';

export interface PlanOptions extends LoadConfigOptions, ResolveRenames {
  config?: ResolvedConfig;
  /** Dialect of the SQL preview. Default: the configured database's. */
  dialect?: 'postgres' | 'mysql' | 'sqlite';
  /** The name `generate` would be given (it only changes the id). */
  name?: string;
  /**
   * Also estimate each SQL step's cost (`PlanResult.cost`), with row counts from the configured database's
   * statistics when it is of the plan's dialect (it is then connected to, read only).
   */
  cost?: boolean;
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
  /** With `cost`: the lock, hold, rows and estimated duration of each SQL step. */
  cost?: SqlCost;
  /**
   * With `cost`, when document models change: per model, the measured upgrade cost per read (lazy, no
   * downtime) and the estimated sweep of the stored documents.
   */
  documentCost?: DocumentPlanCost;
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
    ...(options.cost && dialect
      ? { cost: await planCost(config, composed.migration, dialect, previous) }
      : {}),
    ...(options.cost ? await documentCostOf(config, composed.migration, composed.changes, pending) : {}),
  };
}

/** The cost of the planned migration, with the live row counts of the configured database of that dialect. */
async function planCost(
  config: ResolvedConfig,
  migration: Migration,
  dialect: 'postgres' | 'mysql' | 'sqlite',
  before: Snapshot,
): Promise<SqlCost> {
  const target = sqlDatabase(config);
  const live =
    target !== undefined &&
    sqlDialectOf(config) === dialect &&
    // no database file or folder yet: nothing to count (and none is created)
    databaseExists(target);
  if (!live) return migrationSqlCost(migration, { dialect, before });
  return withDatabase(target, (db) => migrationSqlCost(migration, { dialect, before, db }));
}

async function documentCostOf(...args: Parameters<typeof planDocumentCost>) {
  const documentCost = await planDocumentCost(...args);
  return documentCost ? { documentCost } : {};
}
