import { type Change, lint } from '@evolve/core';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { sqlDialectOf } from './mongo-api.ts';
import { pendingChanges, type ResolveRenames } from './pending-changes.ts';
import type { FindingLike } from './render-migration.ts';
import { previewSqlSteps, type SqlStepPreview } from './sql-api.ts';

export interface PlanOptions extends LoadConfigOptions, ResolveRenames {
  config?: ResolvedConfig;
  /** Dialect of the SQL preview. Default: the configured database's. */
  dialect?: 'postgres' | 'mysql' | 'sqlite';
}

export interface PlanResult {
  /** False when the models match the latest snapshot. */
  changed: boolean;
  changes: readonly Change[];
  findings: readonly FindingLike[];
  /** `mongodb` when the configured database is MongoDB and no dialect was asked for (then no SQL steps). */
  dialect: 'postgres' | 'mysql' | 'sqlite' | 'mongodb';
  /** The SQL steps the pending changes would compile to (sql models only). */
  steps: readonly SqlStepPreview[];
}

/**
 * What `generate` would do, without writing anything: the pending changes with their risks, the lint
 * findings, and the SQL steps for one dialect.
 *
 * @example
 * const { changes, findings, steps } = await plan({ cwd: '/app', dialect: 'postgres' });
 */
export async function plan(options: PlanOptions = {}): Promise<PlanResult> {
  const config = options.config ?? (await loadConfig(options));
  const dialect = options.dialect ?? sqlDialectOf(config);
  const { changeSet, previous } = await pendingChanges(config, options);
  if (changeSet.changes.length === 0)
    return { changed: false, changes: [], findings: [], dialect: dialect ?? 'mongodb', steps: [] };
  const findings = lint(changeSet);
  const steps = dialect ? await previewSqlSteps(changeSet, { dialect, previous }) : [];
  return { changed: true, changes: changeSet.changes, findings, dialect: dialect ?? 'mongodb', steps };
}
