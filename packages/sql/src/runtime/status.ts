import type { Migration } from '@evolve/core';
import type { Kysely } from 'kysely';
import { capabilitiesFor } from '../dialects/capabilities-for.ts';
import { analyzeJournal } from './analyze-journal.ts';
import { JOURNAL_TABLE, readStepRows } from './journal.ts';
import { migrationList } from './load-migrations.ts';
import { validateMigrationList } from './migration-sequence.ts';

export interface MigrationStatus {
  /** Applied migrations known to the code, in list order, with when they were applied. */
  applied: { id: string; appliedAt: string; durationMs: number }[];
  /** Not applied yet, in list order (out-of-order ones included). */
  pending: string[];
  /** Pending but older than the newest applied migration (merged late). */
  outOfOrder: string[];
  /** Applied, but changed since (checksum mismatch). */
  modified: string[];
  /** Applied in the database, unknown to the code. */
  unknownApplied: string[];
  /** Migrations with recorded progress from an interrupted run. */
  inProgress: { id: string; direction: string; stepsDone: number }[];
  /** The newest applied migration, if any. */
  current?: string;
}

/**
 * Compares the database's journal with the migration list, without taking the lock or changing anything
 * (for `evolve status`).
 *
 * @example
 * const { pending, modified } = await status(db, { migrations });
 */
export async function status(
  db: Kysely<any>,
  options: { migrations?: readonly Migration[]; folder?: string },
): Promise<MigrationStatus> {
  const migrations = await migrationList(options);
  validateMigrationList(migrations);
  const caps = capabilitiesFor(db);
  return db.connection().execute(async (conn) => {
    let rows: { id: string; checksum: string; applied_at: string; duration_ms: number }[];
    try {
      rows = (await conn
        .selectFrom(JOURNAL_TABLE)
        .select(['id', 'checksum', 'applied_at', 'duration_ms'])
        .execute()) as typeof rows;
    } catch (error) {
      if (!caps.isMissingTable(error)) throw error;
      rows = [];
    }
    const analysis = analyzeJournal(migrations, rows);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const steps = rows.length > 0 ? await readStepRows(conn).catch(() => []) : [];
    const inProgress = new Map<string, { id: string; direction: string; stepsDone: number }>();
    for (const step of steps) {
      const key = `${step.migration_id}:${step.direction}`;
      const entry = inProgress.get(key) ?? { id: step.migration_id, direction: step.direction, stepsDone: 0 };
      if (step.status === 'done') entry.stepsDone += 1;
      inProgress.set(key, entry);
    }
    const current = analysis.applied.at(-1);
    return {
      applied: analysis.applied.map((id) => ({
        id,
        appliedAt: String(byId.get(id)?.applied_at),
        durationMs: Number(byId.get(id)?.duration_ms),
      })),
      pending: analysis.pending,
      outOfOrder: analysis.outOfOrder,
      modified: analysis.modified,
      unknownApplied: analysis.unknown,
      inProgress: [...inProgress.values()],
      ...(current ? { current } : {}),
    };
  });
}
