import { type Migration, migrationChecksum } from '@evolve/core';
import type { Kysely } from 'kysely';
import { createJournalTables, JOURNAL_TABLE } from '../runtime/journal.ts';
import { migrationSequence } from '../runtime/migration-sequence.ts';

/**
 * Records a migration as applied without running it: for the baseline `evolve pull` writes, whose tables
 * the database already has. Creates the journal when it is missing; a migration already recorded is left
 * as it is (false).
 *
 * @example
 * await markApplied(db, migrations[0]!); // true: recorded now
 */
export async function markApplied(db: Kysely<any>, migration: Migration): Promise<boolean> {
  await createJournalTables(db);
  const existing = await db
    .selectFrom(JOURNAL_TABLE)
    .select('id')
    .where('id', '=', migration.id)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto(JOURNAL_TABLE)
    .values({
      id: migration.id,
      sequence: migrationSequence(migration.id),
      checksum: migrationChecksum(migration),
      applied_at: new Date().toISOString(),
      duration_ms: 0,
    })
    .execute();
  return true;
}
