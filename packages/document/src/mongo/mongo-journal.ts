import { checksumMatches, type Migration } from '@evolve/core';
import type { Db } from 'mongodb';

/** The collection that records applied migrations (one document per migration, `_id` its id). */
export const JOURNAL_COLLECTION = 'evolve_migrations';

export interface JournalEntry {
  _id: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}

/** The journal compared with a migration list, as @evolve/sql's `status` reports it. */
export interface MongoJournalStatus {
  applied: { id: string; checksum: string; appliedAt: Date }[];
  /** Not applied, in order. */
  pending: string[];
  /** Pending, but older than the newest applied one (merged late). */
  outOfOrder: string[];
  /** Applied, but the migration changed since (its checksum differs). */
  modified: string[];
  /** Applied ids the list does not have (the database is ahead of this code). */
  unknownApplied: string[];
}

/** Every journal entry, by id. */
export async function readJournal(db: Db): Promise<Map<string, JournalEntry>> {
  const entries = await db.collection<JournalEntry>(JOURNAL_COLLECTION).find({}).toArray();
  return new Map(entries.map((e) => [e._id, e]));
}

/** Compares journal entries with the migration list (pure). */
export function analyzeJournal(
  journal: ReadonlyMap<string, JournalEntry>,
  migrations: readonly Migration[],
): MongoJournalStatus {
  const known = new Set(migrations.map((m) => m.id));
  const newest = migrations.reduce((at, m, i) => (journal.has(m.id) ? i : at), -1);
  const status: MongoJournalStatus = {
    applied: [],
    pending: [],
    outOfOrder: [],
    modified: [],
    unknownApplied: [...journal.keys()].filter((id) => !known.has(id)).sort(),
  };
  for (const [i, m] of migrations.entries()) {
    const entry = journal.get(m.id);
    if (!entry) {
      status.pending.push(m.id);
      if (i < newest) status.outOfOrder.push(m.id);
      continue;
    }
    status.applied.push({ id: m.id, checksum: entry.checksum, appliedAt: entry.appliedAt });
    if (!checksumMatches(entry.checksum, m)) status.modified.push(m.id);
  }
  return status;
}

/**
 * The journal of a MongoDB database against a migration list: applied, pending, out of order, modified
 * (checksum changed after it was applied) and unknown ids.
 *
 * @example
 * const { pending } = await mongoJournalStatus(client.db('app'), migrations);
 */
export async function mongoJournalStatus(
  db: Db,
  migrations: readonly Migration[],
): Promise<MongoJournalStatus> {
  return analyzeJournal(await readJournal(db), migrations);
}
