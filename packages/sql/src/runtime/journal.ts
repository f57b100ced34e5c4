import type { Kysely } from 'kysely';

export const JOURNAL_TABLE = 'evolve_migrations';
export const STEPS_TABLE = 'evolve_migration_steps';

/** One row of the journal: an applied migration. */
export interface JournalRow {
  id: string;
  checksum: string;
  applied_at?: string;
  duration_ms?: number;
}

/** Step progress of a migration that has not finished: done segments and backfill checkpoints. */
export interface StepRow {
  migration_id: string;
  direction: string;
  step_index: number;
  checksum: string;
  status: 'running' | 'done';
  /** JSON of the last key tuple a backfill finished. */
  checkpoint: string | null;
  rows_done: number;
}

/**
 * Reads the journal in one query; `undefined` when the journal table does not exist yet.
 */
export async function readJournal(
  conn: Kysely<any>,
  isMissingTable: (error: unknown) => boolean,
): Promise<JournalRow[] | undefined> {
  try {
    const rows = await conn.selectFrom(JOURNAL_TABLE).select(['id', 'checksum']).execute();
    return rows as JournalRow[];
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

/** Creates the journal and step-progress tables when they are missing. */
export async function createJournalTables(conn: Kysely<any>): Promise<void> {
  await conn.schema
    .createTable(JOURNAL_TABLE)
    .ifNotExists()
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('checksum', 'varchar(64)', (c) => c.notNull())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await conn.schema
    .createTable(STEPS_TABLE)
    .ifNotExists()
    .addColumn('migration_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('checksum', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('rows_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('evolve_migration_steps_pk', ['migration_id', 'direction', 'step_index'])
    .execute();
}

/** Every unfinished migration's step progress. */
export async function readStepRows(conn: Kysely<any>): Promise<StepRow[]> {
  const rows = await conn
    .selectFrom(STEPS_TABLE)
    .select(['migration_id', 'direction', 'step_index', 'checksum', 'status', 'checkpoint', 'rows_done'])
    .execute();
  return rows.map(
    (r) => ({ ...r, step_index: Number(r.step_index), rows_done: Number(r.rows_done) }) as StepRow,
  );
}
