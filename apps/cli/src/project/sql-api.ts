// The CLI's one door into @evolve/sql: planner previews, the runner, status and drift, with the shapes the
// commands print. Keeping the calls here means the commands never depend on the runner's internals.
import type { ChangeSet, Migration, Snapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import { optionalPackageFunction, packageFunction } from './package-api.ts';

type Dialect = 'postgres' | 'mysql' | 'sqlite';

/** One SQL step as the CLI shows it. */
export interface SqlStepPreview {
  description: string;
  /** The statements, with parameters inlined as comments when there are any. */
  sql: string[];
  transactional: boolean;
  destructive: boolean;
  /** For backfills: what is filled in batches. */
  backfill?: string;
}

interface CompiledStepLike {
  description: string;
  transactional: boolean;
  statements: readonly { sql: string; parameters: readonly unknown[] }[];
  backfill?: { table: string; set: Record<string, unknown> };
  destructive?: boolean;
}

function preview(step: CompiledStepLike): SqlStepPreview {
  return {
    description: step.description,
    sql: step.statements.map((s) =>
      s.parameters.length > 0 ? `${s.sql}; -- parameters: ${JSON.stringify(s.parameters)}` : `${s.sql};`,
    ),
    transactional: step.transactional,
    destructive: step.destructive === true,
    ...(step.backfill
      ? { backfill: `${step.backfill.table}: ${Object.keys(step.backfill.set).join(', ')} in keyset batches` }
      : {}),
  };
}

/** The SQL steps pending model changes would compile to, for previews (`plan`). */
export async function previewSqlSteps(
  changeSet: ChangeSet,
  options: { dialect: Dialect; previous: Snapshot; next: Snapshot },
): Promise<SqlStepPreview[]> {
  const planSql = await optionalPackageFunction('@evolve/sql', 'planSqlMigration');
  if (!planSql) return [];
  const planned = planSql(changeSet, {
    dialect: options.dialect,
    previous: options.previous,
    before: options.previous,
  });
  const steps = (Array.isArray(planned) ? planned : (planned?.steps ?? [])) as CompiledStepLike[];
  return steps.map(preview);
}

/** The exact steps of one migration in one direction for a dialect (`sql`). */
export async function migrationSqlSteps(
  migration: Migration,
  options: { dialect: Dialect; direction: 'up' | 'down'; before: () => Snapshot },
): Promise<SqlStepPreview[]> {
  const compile = await packageFunction('@evolve/sql', 'compileMigration');
  const steps = compile(migration, {
    dialect: options.dialect,
    direction: options.direction,
    before: options.before,
  }) as CompiledStepLike[];
  return steps.map(preview);
}

/** What `status` reports about the journal against the migration list. */
export interface JournalStatus {
  applied: string[];
  pending: string[];
  outOfOrder: string[];
  modified: string[];
  unknown: string[];
  /** Migrations an interrupted run left half done (the next run resumes them). */
  inProgress: { id: string; direction: string; stepsDone: number }[];
}

export async function journalStatus(
  db: Kysely<any>,
  migrations: readonly Migration[],
): Promise<JournalStatus> {
  const { status } = await import('@evolve/sql');
  const s = await status(db, { migrations });
  return {
    applied: s.applied.map((a) => a.id),
    pending: s.pending,
    outOfOrder: s.outOfOrder,
    modified: s.modified,
    unknown: s.unknownApplied,
    inProgress: s.inProgress,
  };
}

export interface RunResult {
  applied: { id: string; direction: 'up' | 'down'; status: string; durationMs?: number }[];
  skipped?: string[];
  error?: { code: string; message: string; path?: string };
}

export async function runMigrate(db: Kysely<any>, options: Record<string, unknown>): Promise<RunResult> {
  const migrate = await packageFunction('@evolve/sql', 'migrate');
  return (await migrate(db, options)) as RunResult;
}

export async function runRollback(db: Kysely<any>, options: Record<string, unknown>): Promise<RunResult> {
  const rollback = await packageFunction('@evolve/sql', 'rollback');
  return (await rollback(db, options)) as RunResult;
}

/** One difference between the live database and the expected snapshot. */
export interface DriftLike {
  kind?: string;
  path?: string;
  message?: string;
  table?: string;
}

export async function liveDrift(db: Kysely<any>, snapshot: Snapshot): Promise<DriftLike[]> {
  const detectDrift = await packageFunction('@evolve/sql', 'detectDrift');
  const result = await detectDrift(db, snapshot);
  return (Array.isArray(result) ? result : (result?.differences ?? [])) as DriftLike[];
}
