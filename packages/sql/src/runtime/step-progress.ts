import type { Kysely } from 'kysely';
import { JOURNAL_TABLE, STEPS_TABLE } from './journal.ts';
import { fenced, type Lease } from './lease.ts';
import type { MigrationDirection } from './migrate-options.ts';
import { migrationSequence } from './migration-sequence.ts';

/** Identifies one segment's progress row, and the lease its writes are fenced with. */
export interface StepKey {
  migrationId: string;
  direction: MigrationDirection;
  index: number;
  checksum: string;
  /** The run's lease on the migration lock: every write renews it first, and fails with LOCK_LOST without it. */
  lease: Lease;
}

const now = () => new Date().toISOString();

/** What a progress row says about its segment. */
export interface StepState {
  status: 'running' | 'done';
  checkpoint: string | null;
  rowsDone: number;
}

/** The progress row's columns that a write sets from `state`, stamped with the time of the write. */
const stateColumns = (state: StepState) => ({
  status: state.status,
  checkpoint: state.checkpoint,
  rows_done: state.rowsDone,
  updated_at: now(),
});

/** Records a new progress row (a finished segment, or a backfill's first checkpoint). */
export async function insertStepRow(executor: Kysely<any>, key: StepKey, state: StepState): Promise<void> {
  await fenced(executor, key.lease, (fence) =>
    fence
      .insertInto(STEPS_TABLE)
      .values({
        migration_id: key.migrationId,
        direction: key.direction,
        step_index: key.index,
        checksum: key.checksum,
        ...stateColumns(state),
      })
      .execute(),
  );
}

/** Moves a backfill's checkpoint (inside the batch's transaction). */
export async function updateStepRow(executor: Kysely<any>, key: StepKey, state: StepState): Promise<void> {
  await fenced(executor, key.lease, (fence) =>
    fence
      .updateTable(STEPS_TABLE)
      .set(stateColumns(state))
      .where('migration_id', '=', key.migrationId)
      .where('direction', '=', key.direction)
      .where('step_index', '=', key.index)
      .execute(),
  );
}

/**
 * Whether a segment has a progress row, and the DDL statement its checkpoint records as under way (an
 * integer; undefined when the checkpoint names none or is not JSON).
 */
export async function readStatementUnderWay(
  conn: Kysely<any>,
  key: StepKey,
): Promise<{ exists: boolean; statement: number | undefined }> {
  const row = await conn
    .selectFrom(STEPS_TABLE)
    .select(['checkpoint'])
    .where('migration_id', '=', key.migrationId)
    .where('direction', '=', key.direction)
    .where('step_index', '=', key.index)
    .executeTakeFirst();
  if (!row) return { exists: false, statement: undefined };
  try {
    const statement = (JSON.parse(String(row.checkpoint)) as { statement?: unknown } | null)?.statement;
    return {
      exists: true,
      statement: typeof statement === 'number' && Number.isInteger(statement) ? statement : undefined,
    };
  } catch {
    return { exists: true, statement: undefined };
  }
}

/**
 * Marks a migration finished: a journal row going up, none going down, and its progress rows gone. Fenced
 * with the run's lease like every progress write.
 */
export async function finishMigration(
  executor: Kysely<any>,
  migration: {
    id: string;
    checksum: string;
    direction: MigrationDirection;
    durationMs: number;
    lease: Lease;
  },
  options: { clearProgress: boolean },
): Promise<void> {
  await fenced(executor, migration.lease, (fence) => recordFinished(fence, migration, options));
}

async function recordFinished(
  executor: Kysely<any>,
  migration: { id: string; checksum: string; direction: MigrationDirection; durationMs: number },
  options: { clearProgress: boolean },
): Promise<void> {
  if (migration.direction === 'up') {
    await executor
      .insertInto(JOURNAL_TABLE)
      .values({
        id: migration.id,
        sequence: migrationSequence(migration.id),
        checksum: migration.checksum,
        applied_at: now(),
        duration_ms: Math.round(migration.durationMs),
      })
      .execute();
  } else {
    await executor.deleteFrom(JOURNAL_TABLE).where('id', '=', migration.id).execute();
  }
  if (options.clearProgress) {
    await executor
      .deleteFrom(STEPS_TABLE)
      .where('migration_id', '=', migration.id)
      .where('direction', '=', migration.direction)
      .execute();
  }
}
