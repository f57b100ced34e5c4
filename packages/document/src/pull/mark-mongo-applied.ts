import { type Migration, migrationChecksum } from '@evolve/core';
import type { Db } from 'mongodb';
import { JOURNAL_COLLECTION, type JournalEntry } from '../mongo/mongo-journal.ts';

/**
 * Records a migration as applied in a MongoDB journal without running it (the baseline `evolve pull`
 * writes for collections that exist already). A migration already recorded is left as it is (false).
 *
 * @example
 * await markMongoApplied(client.db('app'), migrations[0]!); // true: recorded now
 */
export async function markMongoApplied(db: Db, migration: Migration): Promise<boolean> {
  const journal = db.collection<JournalEntry>(JOURNAL_COLLECTION);
  if (await journal.findOne({ _id: migration.id })) return false;
  await journal.insertOne({
    _id: migration.id,
    checksum: migrationChecksum(migration),
    appliedAt: new Date(),
    durationMs: 0,
  });
  return true;
}
