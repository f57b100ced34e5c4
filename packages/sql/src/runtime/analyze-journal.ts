import { checksumMatches, EvolveError, type Migration } from '@evolve/core';
import type { JournalRow } from './journal.ts';
import type { MigrationDirection } from './migrate-options.ts';
import { migrationSequence } from './migration-sequence.ts';

/** What the journal says about the migration list (for `status` and for planning a run). */
export interface JournalAnalysis {
  applied: string[];
  pending: string[];
  /** Pending, yet older than the newest applied migration (merged late). */
  outOfOrder: string[];
  /** Applied, but the migration changed since (checksum differs). */
  modified: string[];
  /** Applied in the database, unknown to the code. */
  unknown: string[];
  /** Applied ids newer than the newest migration in the list. */
  ahead: string[];
}

/** Compares the journal with the migration list. Pure. */
export function analyzeJournal(
  migrations: readonly Migration[],
  journal: readonly JournalRow[],
): JournalAnalysis {
  const byId = new Map(journal.map((row) => [row.id, row]));
  const known = new Set(migrations.map((m) => m.id));
  const appliedIndexes = migrations.flatMap((m, i) => (byId.has(m.id) ? [i] : []));
  const newestApplied = appliedIndexes.length ? Math.max(...appliedIndexes) : -1;
  const last = migrations.at(-1);
  const lastSequence = last ? migrationSequence(last.id) : -1;
  const unknown = journal.filter((row) => !known.has(row.id)).map((row) => row.id);
  return {
    applied: migrations.filter((m) => byId.has(m.id)).map((m) => m.id),
    pending: migrations.filter((m) => !byId.has(m.id)).map((m) => m.id),
    outOfOrder: migrations.filter((m, i) => !byId.has(m.id) && i < newestApplied).map((m) => m.id),
    modified: migrations
      .filter((m) => byId.has(m.id) && !checksumMatches(byId.get(m.id)!.checksum, m))
      .map((m) => m.id),
    unknown,
    ahead: unknown.filter((id) => safeSequence(id) > lastSequence),
  };
}

function safeSequence(id: string): number {
  const n = Number.parseInt(id, 10);
  return Number.isNaN(n) ? -1 : n;
}

/** The migrations one run executes, in execution order. */
export interface RunPlan {
  direction: MigrationDirection;
  run: Migration[];
  outOfOrder: Set<string>;
  skipped: string[];
}

/**
 * Decides what a run does: applies pending migrations up to `to`, or reverts applied ones newer than `to`.
 * `to` is an id or a version number (`'0'` reverts everything). Throws the EvolveError that refuses the run.
 */
export function planRun(
  migrations: readonly Migration[],
  journal: readonly JournalRow[],
  options: { to?: string | undefined; allowOutOfOrder?: boolean | undefined; downOnly?: boolean },
): RunPlan {
  const analysis = analyzeJournal(migrations, journal);
  if (analysis.unknown.length > 0) {
    const newer = analysis.ahead.length > 0;
    throw new EvolveError(
      'DATABASE_AHEAD',
      newer
        ? `the database has migrations applied that this code does not know (${analysis.unknown.join(', ')}): it is ahead of the code; deploy the newer code or revert with it`
        : `the database has migrations applied that are missing from the list (${analysis.unknown.join(', ')}): restore them or revert them with the code that has them`,
      { path: analysis.unknown[0]!, details: { unknown: analysis.unknown } },
    );
  }
  if (analysis.modified.length > 0) {
    throw new EvolveError(
      'CHECKSUM_MISMATCH',
      `migration ${analysis.modified.join(', ')} changed after it was applied (checksum differs from the journal); restore the applied version and put the change in a new migration`,
      { path: analysis.modified[0]!, details: { modified: analysis.modified } },
    );
  }
  const applied = new Set(analysis.applied);
  const newestApplied = migrations.findLastIndex((m) => applied.has(m.id));
  // rollback() without a target reverts the newest applied migration only.
  const target =
    options.downOnly && options.to === undefined ? newestApplied - 1 : resolveTarget(migrations, options.to);
  const revert = migrations.filter((m, i) => i > target && applied.has(m.id));
  if (revert.length > 0 || options.downOnly) {
    return { direction: 'down', run: revert.reverse(), outOfOrder: new Set(), skipped: [] };
  }
  const run = migrations.filter((m, i) => i <= target && !applied.has(m.id));
  const late = analysis.outOfOrder.filter((id) => run.some((m) => m.id === id));
  if (late.length > 0 && !options.allowOutOfOrder) {
    throw new EvolveError(
      'OUT_OF_ORDER',
      `migration ${late.join(', ')} is older than the newest applied migration and was never applied (merged late); renumber it after the newest, or pass allowOutOfOrder to apply it`,
      { path: late[0]!, details: { outOfOrder: late } },
    );
  }
  const skipped = migrations.filter((m, i) => i > target && !applied.has(m.id)).map((m) => m.id);
  return { direction: 'up', run, outOfOrder: new Set(late), skipped };
}

/** Index of the last migration that stays applied. */
function resolveTarget(migrations: readonly Migration[], to: string | undefined): number {
  if (to === undefined) return migrations.length - 1;
  const exact = migrations.findIndex((m) => m.id === to);
  if (exact >= 0) return exact;
  if (/^\d+$/.test(to)) {
    const version = Number(to);
    let index = -1;
    migrations.forEach((m, i) => {
      if (migrationSequence(m.id) <= version) index = i;
    });
    return index;
  }
  throw new EvolveError('NOT_FOUND', `target migration "${to}" is not in the migration list`, { path: to });
}
