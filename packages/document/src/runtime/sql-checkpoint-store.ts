import type { Kysely } from 'kysely';
import type { CheckpointStore, SweepCheckpoint } from './document-store.ts';

const createdConcurrently = (error: unknown) =>
  ['23505', '42P07'].includes(String((error as { code?: unknown } | null)?.code));

/**
 * Sweep checkpoints in a SQL table `(key text primary key, state text, updated_at text)`, created on
 * first use. Each save is one upsert, so a killed sweep resumes from its last finished batch.
 *
 * @example
 * const checkpoint = createSqlCheckpointStore(db, { table: 'evolve_sweeps' });
 * await sweep(client.db('app').collection('users'), upgrader, { checkpoint }); // resumes after a crash
 */
export function createSqlCheckpointStore(db: Kysely<any>, options: { table: string }): CheckpointStore {
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= db.schema
      .createTable(options.table)
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
      .then(() => undefined)
      .catch((error) => {
        // CREATE TABLE IF NOT EXISTS need not be atomic: a concurrent create of the same table (another
        // sweep, or the backend of a killed one still finishing) can fail on a unique index of the catalog.
        if (createdConcurrently(error)) return;
        ready = undefined;
        throw error;
      });
    return ready;
  };
  return {
    async load(key) {
      await ensure();
      const row = await db
        .selectFrom(options.table)
        .select('state')
        .where('key', '=', key)
        .executeTakeFirst();
      return row ? (JSON.parse(row.state) as SweepCheckpoint) : undefined;
    },
    async save(key, checkpoint) {
      await ensure();
      const state = JSON.stringify(checkpoint);
      await db
        .insertInto(options.table)
        .values({ key, state, updated_at: checkpoint.updatedAt })
        .onConflict((oc) => oc.column('key').doUpdateSet({ state, updated_at: checkpoint.updatedAt }))
        .execute();
    },
    async clear(key) {
      await ensure();
      await db.deleteFrom(options.table).where('key', '=', key).execute();
    },
  };
}
