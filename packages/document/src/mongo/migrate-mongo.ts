import { EvolveError, type Migration, replayMigrations, type Snapshot } from '@evolve/core';
import type { Db } from 'mongodb';
import { applyMongoMigration, asEvolveError } from './apply-mongo-migration.ts';
import { analyzeJournal, readJournal } from './mongo-journal.ts';
import { acquireMongoLock } from './mongo-lease-lock.ts';

export type MongoMigrateProgressEvent =
  | { type: 'lock-wait'; waitedMs: number }
  | { type: 'migration-start'; id: string; direction: 'up' | 'down'; steps: number }
  | { type: 'step'; id: string; index: number; description: string }
  | { type: 'migration-done'; id: string; direction: 'up' | 'down'; durationMs: number };

export interface MongoMigrateOptions {
  /** The ordered migration list (the migrations folder's `index.ts` default export). */
  migrations: readonly Migration[];
  /** up: stop after this id. down: revert down to this id (it stays applied); `'0'` reverts all. */
  to?: string;
  /** How long to wait for another instance's lock before LOCK_TIMEOUT. Default 60 000. */
  lockTimeoutMs?: number;
  /** Apply migrations merged late (older than the newest applied) instead of refusing them. */
  allowOutOfOrder?: boolean;
  /** down: drop collections the reverted migrations created, documents and all. */
  acknowledgeDataLoss?: boolean;
  /** Install `$jsonSchema` validators accepting every version of each model (default true). */
  validators?: boolean;
  /** The document version field (default `_v`). */
  versionField?: string;
  onProgress?: (event: MongoMigrateProgressEvent) => void;
}

/** Something the run could not do and did not claim to have done (e.g. validators on FerretDB). */
export interface MongoMigrateWarning {
  code: 'VALIDATORS_UNSUPPORTED';
  message: string;
  path?: string;
}

/** One migration's outcome, as @evolve/sql's `migrate` reports it. */
export interface MongoMigrationResult {
  id: string;
  direction: 'up' | 'down';
  status: 'Success' | 'Error' | 'NotExecuted';
  durationMs?: number;
  /** What it did, in order. */
  steps: string[];
}

export interface MongoMigrateResult {
  applied: MongoMigrationResult[];
  warnings: MongoMigrateWarning[];
  error?: EvolveError;
}

/**
 * Applies pending migrations to a MongoDB database (`Db` of the official driver, MongoDB or FerretDB),
 * as @evolve/sql's `migrate` does for SQL: a lease lock so that one of many instances starting at once
 * applies them while the others wait and then find nothing to do, a journal (`evolve_migrations`) with
 * each migration's checksum (an applied migration whose checksum changed is refused), and a result
 * rather than an exception. Documents are not rewritten (they are upgraded lazily, or by `sweep`); what a
 * migration changes here is collections and indexes (created, renamed, dropped, unique and compound, from
 * the models), and, where the server supports them, `$jsonSchema` validators accepting every version.
 * A server without validators (FerretDB) gets none, and the result carries a warning saying so.
 * Destructive or lossy changes of document models must be acknowledged by the migration, as in SQL.
 *
 * @example
 * const result = await migrateMongo(client.db('app'), { migrations });
 * for (const w of result.warnings) console.warn(w.message);
 * if (result.error) throw result.error;
 */
export async function migrateMongo(db: Db, options: MongoMigrateOptions): Promise<MongoMigrateResult> {
  return run(db, options, 'up');
}

/**
 * Reverts applied migrations on a MongoDB database: by default the newest applied one; with `to`, every
 * migration after it (`'0'`: all). Indexes and collections go back to the earlier snapshot (a collection
 * the migration created is dropped only with `acknowledgeDataLoss`); stored documents are not downgraded
 * (use the upgrader's `downgrade`), and validators are widened to accept the reverted versions too.
 *
 * @example
 * const result = await rollbackMongo(client.db('app'), { migrations, to: '0003_add_index' });
 */
export async function rollbackMongo(db: Db, options: MongoMigrateOptions): Promise<MongoMigrateResult> {
  return run(db, options, 'down');
}

/**
 * Refuses a journal that does not fit the migration list: an applied migration whose file changed
 * (CHECKSUM_MISMATCH), applied migrations this code does not know (DATABASE_AHEAD) and, when `inOrder`,
 * an unapplied migration older than the newest applied one (OUT_OF_ORDER).
 */
function checkJournal(status: ReturnType<typeof analyzeJournal>, inOrder: boolean): void {
  if (status.modified.length > 0) {
    const id = status.modified[0] as string;
    throw new EvolveError(
      'CHECKSUM_MISMATCH',
      `migration ${id} changed after it was applied to this database (checksum differs from the journal)`,
      { path: id },
    );
  }
  if (status.unknownApplied.length > 0) {
    throw new EvolveError(
      'DATABASE_AHEAD',
      `the database has migrations this code does not know (${status.unknownApplied.join(', ')}): deploy the newer code`,
      { path: status.unknownApplied[0] as string },
    );
  }
  if (inOrder && status.outOfOrder.length > 0) {
    throw new EvolveError(
      'OUT_OF_ORDER',
      `migration ${status.outOfOrder[0]} is older than the newest applied one: apply it with allowOutOfOrder`,
      { path: status.outOfOrder[0] as string },
    );
  }
}

async function run(
  db: Db,
  options: MongoMigrateOptions,
  direction: 'up' | 'down',
): Promise<MongoMigrateResult> {
  const result: MongoMigrateResult = { applied: [], warnings: [] };
  const { migrations } = options;
  let snapshots: Snapshot[];
  try {
    snapshots = [
      ...replayMigrations(migrations)
        .steps.slice(0, 1)
        .map((s) => s.before),
      ...replayMigrations(migrations).steps.map((s) => s.after),
    ];
    if (options.to !== undefined && options.to !== '0' && !migrations.some((m) => m.id === options.to)) {
      throw new EvolveError('NOT_FOUND', `no migration ${options.to} in the list`, { path: options.to });
    }
  } catch (error) {
    result.error = asEvolveError(error, 'migrations');
    return result;
  }
  let lock: Awaited<ReturnType<typeof acquireMongoLock>>;
  try {
    lock = await acquireMongoLock(db, {
      ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
      onWait: (waitedMs) => options.onProgress?.({ type: 'lock-wait', waitedMs }),
    });
  } catch (error) {
    result.error = asEvolveError(error, 'lock');
    return result;
  }
  const ctx = { options, result, validators: { enabled: options.validators !== false } };
  try {
    const journal = await readJournal(db);
    const status = analyzeJournal(journal, migrations);
    checkJournal(status, direction === 'up' && !options.allowOutOfOrder);
    const order = migrations.map((m, i) => ({ m, i }));
    // up: the pending ones up to `to`, oldest first; down: the newest applied one, or all after `to`
    let run: typeof order;
    if (direction === 'up') {
      const last = options.to ? migrations.findIndex((m) => m.id === options.to) : migrations.length - 1;
      run = order.filter(({ m, i }) => i <= last && !journal.has(m.id));
    } else {
      const applied = order.filter(({ m }) => journal.has(m.id)).reverse();
      const keep = options.to === undefined ? undefined : migrations.findIndex((m) => m.id === options.to);
      run = keep === undefined ? applied.slice(0, 1) : applied.filter(({ i }) => i > keep);
    }
    for (const { m, i } of run) {
      await applyMongoMigration(ctx, db, {
        migration: m,
        before: snapshots[i] as Snapshot,
        after: snapshots[i + 1] as Snapshot,
        direction,
        history: migrations.slice(0, i + 1),
      });
    }
  } catch (error) {
    result.error = asEvolveError(error, 'migrations');
  } finally {
    await lock.release().catch(() => {});
  }
  return result;
}
