// The CLI's one door into @evolve/sql: planner previews, the runner, status and drift, with the shapes the
// commands print. @evolve/sql (and with it kysely) is imported only when a command needs it.
import type { Migration, Snapshot } from '@evolve/core';
import type {
  CompiledStep,
  CostRates,
  MigrateOptions,
  MigrateResult,
  SqlDialect,
  StepCost,
} from '@evolve/sql';
import type { Kysely } from 'kysely';

/** One SQL step as the CLI shows it. */
export interface SqlStepPreview {
  description: string;
  /** The statements, with parameters appended as a comment when there are any. */
  sql: string[];
  transactional: boolean;
  destructive: boolean;
  /** For backfills: what is filled in batches. */
  backfill?: string;
}

function preview(step: CompiledStep): SqlStepPreview {
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

/** The exact steps of one migration in one direction for a dialect (`sql`), and their rendered text. */
export async function migrationSqlSteps(
  migration: Migration,
  options: { dialect: SqlDialect; direction: 'up' | 'down'; before: Snapshot },
): Promise<{ steps: SqlStepPreview[]; text: string }> {
  const { compileMigration, renderSql } = await import('@evolve/sql');
  const steps = compileMigration(migration, options);
  return { steps: steps.map(preview), text: renderSql(steps) };
}

/** What a migration's SQL steps cost where they run (estimates; see @evolve/sql's `estimateCost`). */
export interface SqlCost {
  /** Where the row counts come from: the live database's statistics, or none (no database to ask). */
  rowsFrom: 'live statistics' | 'none';
  /** The batch and scan rates the durations assume (rows per second). */
  rates: CostRates;
  steps: StepCost[];
  /** The sum of the steps' estimated seconds. */
  seconds: number;
}

/**
 * The cost of each step of one migration: its lock and hold, and with `db` (the live database, of the same
 * dialect) the rows of the tables it touches, from the engine's statistics, and estimated durations.
 */
export async function migrationSqlCost(
  migration: Migration,
  options: { dialect: SqlDialect; before: Snapshot; db?: Kysely<any> },
): Promise<SqlCost> {
  const { compileMigration, estimateCost, tableRowEstimates, DEFAULT_COST_RATES } = await import(
    '@evolve/sql'
  );
  const { dialect, before, db } = options;
  const compiled = compileMigration(migration, { dialect, direction: 'up', before });
  const tables = [...new Set(estimateCost(compiled, { dialect }).flatMap((c) => (c.table ? [c.table] : [])))];
  const rows = db ? await tableRowEstimates(db, dialect, tables) : undefined;
  const steps = estimateCost(compiled, { dialect, ...(rows ? { rows } : {}) });
  return {
    rowsFrom: db ? 'live statistics' : 'none',
    rates: DEFAULT_COST_RATES[dialect],
    steps,
    seconds: steps.reduce((sum, c) => sum + (c.seconds ?? 0), 0),
  };
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

export type RunResult = MigrateResult;

export async function runMigrate(db: Kysely<any>, options: MigrateOptions): Promise<RunResult> {
  const { migrate } = await import('@evolve/sql');
  return migrate(db, options);
}

export async function runRollback(db: Kysely<any>, options: MigrateOptions): Promise<RunResult> {
  const { rollback } = await import('@evolve/sql');
  return rollback(db, options);
}

/** One difference between the live database and the expected snapshot. */
export interface DriftLike {
  kind: string;
  table: string;
  column?: string;
  message: string;
}

/** Live drift of the sql models' tables; document models' tables (JSON documents) are not compared. */
export async function liveDrift(
  db: Kysely<any>,
  snapshot: Snapshot,
  dialect: SqlDialect,
): Promise<DriftLike[]> {
  const { detectDrift } = await import('@evolve/sql');
  const documentTables = new Set(
    Object.values(snapshot.models)
      .filter((m) => m.target === 'document')
      .map((m) => m.table),
  );
  return detectDrift(db, snapshot, { dialect, ignoreTables: (name) => documentTables.has(name) });
}
