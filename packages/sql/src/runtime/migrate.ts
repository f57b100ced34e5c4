import { randomUUID } from 'node:crypto';
import { checksumMatches, EvolveError, isEvolveError, migrationChecksum } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import { capabilitiesFor } from '../dialects/capabilities-for.ts';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import { acquireLock } from './acquire-lock.ts';
import { planRun, type RunPlan } from './analyze-journal.ts';
import { asConnectionLost, asEvolveError } from './as-evolve-error.ts';
import { checkMigrateOptions } from './check-migrate-options.ts';
import { compileAll, notExecuted, type ResolvedOptions } from './compile-all.ts';
import { guardConnectionLoss } from './connection-loss-guard.ts';
import { createJournalTables, readJournal, readStepRows } from './journal.ts';
import { type Lease, releaseLease } from './lease.ts';
import { leaseKeeper } from './lease-keeper.ts';
import { migrationList } from './load-migrations.ts';
import { lockWaitSettings } from './lock-wait-settings.ts';
import type { MigrateOptions, MigrateResult, MigrationResult } from './migrate-options.ts';
import { validateMigrationList } from './migration-sequence.ts';
import type { RunContext } from './run-context.ts';
import { runMigration } from './run-migration.ts';
import { schemaAt } from './schema-at.ts';
import { sleep } from './sleep.ts';
import { abandonLease } from './take-lease.ts';

const DEFAULTS = {
  lockTimeoutMs: 60_000,
  lockLeaseMs: 30_000,
  batchSize: 1_000,
  targetBatchMs: 40,
  catchUpTimeoutMs: 300_000,
};

type Mode = { downOnly?: boolean };
/** 'connecting' until the run's first statement reached the database. */
type ConnectionState = { state: 'idle' | 'connecting' | 'connected' };

/** What the work of a run that took the lock needs: its lease, how to renew it, the steps compiled so far. */
interface Held {
  lease: Lease;
  keepAlive(): Promise<void>;
  cache: Map<string, readonly CompiledStep[]>;
}

/**
 * Brings the database to the latest migration (or to `options.to`, reverting newer ones) on the
 * application's own Kysely instance. It answers in one query when nothing is pending; otherwise it takes
 * the migration lock (a lease row; others poll it through the pool, holding no connection, then find
 * nothing to do), pins one connection for the work, verifies checksums and order, refuses unacknowledged
 * destructive steps before anything runs, and applies each migration in a transaction where DDL is
 * transactional, with batched, checkpointed backfills. Nothing relies on session state, so it works
 * through PgBouncer in transaction pooling mode. It never throws, not even when the server terminates its
 * connection (CONNECTION_LOST): the result lists each migration's outcome and the error that stopped the run.
 *
 * @example
 * // migrations: the default export of ./migrations/index.ts
 * const { applied, error } = await migrate(db, { migrations });
 * if (error) throw error;
 */
export async function migrate(db: Kysely<any>, options: MigrateOptions): Promise<MigrateResult> {
  return execute(db, options, {});
}

/** Shared by `migrate` and `rollback`. */
export async function execute(db: Kysely<any>, options: MigrateOptions, mode: Mode): Promise<MigrateResult> {
  const connection: ConnectionState = { state: 'idle' };
  let caps: DialectCapabilities | undefined;
  let guard: ReturnType<typeof guardConnectionLoss> | undefined;
  let result: MigrateResult;
  try {
    checkMigrateOptions(options);
    const migrations = await migrationList(options);
    validateMigrationList(migrations);
    caps = capabilitiesFor(db);
    const leaseMs = positive(options.lockLeaseMs, 'lockLeaseMs', DEFAULTS.lockLeaseMs);
    guard = guardConnectionLoss(caps);
    result = await run(db, caps, { ...options, migrations }, mode, { leaseMs, connection });
  } catch (error) {
    const failedToConnect = connection.state === 'connecting' && !isEvolveError(error);
    result = { applied: [], error: failedToConnect ? connectionFailed(error) : asEvolveError(error) };
  }
  const lost =
    result.error && caps && connection.state === 'connected' && asConnectionLost(result.error, caps);
  if (lost) result = { ...result, error: lost };
  await guard?.end({ lost: Boolean(lost) });
  return result;
}

async function run(
  db: Kysely<any>,
  caps: DialectCapabilities,
  options: ResolvedOptions,
  mode: Mode,
  settings: { leaseMs: number; connection: ConnectionState },
): Promise<MigrateResult> {
  settings.connection.state = 'connecting';
  const journal = await db.connection().execute((conn) => {
    settings.connection.state = 'connected';
    return readJournal(conn, caps.isMissingTable);
  });
  const first = planRun(options.migrations, journal ?? [], { ...options, ...mode });
  if (first.run.length === 0) return done([], first);
  // Refuse what cannot run (TODO transforms, unacknowledged data loss, planner errors) before taking the
  // lock or creating evolve's tables: such a run leaves the database exactly as it was.
  const compiled = new Map<string, readonly CompiledStep[]>();
  try {
    compileAll(caps, options, first, compiled);
  } catch (error) {
    return { ...done(notExecuted(first), first), error: asEvolveError(error) };
  }
  let latest = first;
  // Waiting pins nothing: each poll is a short statement through the pool.
  const lease = await acquireLock(db, caps, {
    owner: randomUUID(),
    leaseMs: settings.leaseMs,
    timeoutMs: options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
    signal: options.signal,
    onWait: (waitedMs) => options.onProgress?.({ type: 'lock-wait', waitedMs }),
    stillNeeded: async () => {
      const journal = await readJournal(db, caps.isMissingTable);
      latest = planRun(options.migrations, journal ?? [], { ...options, ...mode });
      return latest.run.length > 0;
    },
  });
  // Another instance finished the work while this one waited.
  if (!lease) return done([], latest);
  return runLocked(db, caps, options, mode, { lease, compiled });
}

/** With the lease taken: pins one connection for the work, keeps the lease alive, and always releases it. */
async function runLocked(
  db: Kysely<any>,
  caps: DialectCapabilities,
  options: ResolvedOptions,
  mode: Mode,
  { lease, compiled }: { lease: Lease; compiled: Map<string, readonly CompiledStep[]> },
): Promise<MigrateResult> {
  const keeper = leaseKeeper(db, lease);
  let released = false;
  try {
    return await db.connection().execute(async (conn) => {
      try {
        let current = await readJournal(conn, caps.isMissingTable);
        if (current === undefined) {
          await createJournalTables(conn);
          current = [];
        }
        // Another instance may have migrated while this one waited.
        const plan = planRun(options.migrations, current, { ...options, ...mode });
        if (plan.run.length === 0) return done([], plan);
        return await applyPlan(conn, caps, options, plan, {
          lease,
          keepAlive: () => keeper.keepAlive(conn),
          cache: compiled,
        });
      } finally {
        // The timer stops now; a renewal it has in flight may wait for the pool, so it settles below.
        void keeper.stop();
        released = await releaseNow(conn, caps, lease);
      }
    });
  } finally {
    await keeper.stop();
    if (!released) await releaseThroughPool(db, caps, lease);
  }
}

/**
 * Releases the lease when the pinned connection could not (it broke, or the database was busy). The pool may hand
 * out a broken connection once more before the driver notices its end, hence a pause and a second try.
 * When both fail, the lease is left to run out, except for a later run in this process, which takes it
 * over at once (and, for the next process on this machine, once this one is gone).
 */
async function releaseThroughPool(db: Kysely<any>, caps: DialectCapabilities, lease: Lease): Promise<void> {
  for (const pauseMs of [50, 500]) {
    await sleep(pauseMs);
    if (await releaseNow(db, caps, lease)) return;
  }
  abandonLease(lease.owner);
}

/** One attempt to release the lease that never waits on a busy database; false when it failed. */
async function releaseNow(executor: Kysely<any>, caps: DialectCapabilities, lease: Lease): Promise<boolean> {
  const release = async (conn: Kysely<any>) => {
    await releaseLease(conn, lease);
    return true;
  };
  try {
    return (
      (await (caps.withoutWaiting ? caps.withoutWaiting(executor, release) : release(executor))) === true
    );
  } catch {
    return false;
  }
}

function connectionFailed(error: unknown): EvolveError {
  const message = error instanceof Error ? error.message : String(error);
  return new EvolveError('CONNECTION_FAILED', `migrate could not connect to the database: ${message}`, {
    cause: error,
  });
}

/** A duration option: a finite number of at least 1 ms, or INVALID_CONFIG naming it. */
function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `${name} must be a number of at least 1, got ${JSON.stringify(value)}`,
      {
        path: name,
      },
    );
  }
  return Math.trunc(value);
}

async function applyPlan(
  conn: Kysely<any>,
  caps: DialectCapabilities,
  options: ResolvedOptions,
  plan: RunPlan,
  { lease, keepAlive, cache }: Held,
): Promise<MigrateResult> {
  const results = notExecuted(plan);
  // Everything is compiled and checked before the first statement runs.
  let compiled: (readonly CompiledStep[])[];
  try {
    compiled = compileAll(caps, options, plan, cache);
  } catch (error) {
    return { ...done(results, plan), error: asEvolveError(error) };
  }
  const progressRows = await readStepRows(conn);
  const ctx: RunContext = {
    conn,
    caps,
    batchSize: Math.max(1, Math.trunc(options.batchSize ?? DEFAULTS.batchSize)),
    // A batch size the caller chose stays fixed; the default adapts to the table and the machine.
    targetBatchMs:
      options.batchSize === undefined
        ? (options.targetBatchMs ?? caps.targetBatchMs ?? DEFAULTS.targetBatchMs)
        : undefined,
    pauseMs: options.pauseMs,
    catchUpTimeoutMs: options.catchUpTimeoutMs ?? DEFAULTS.catchUpTimeoutMs,
    lockWait: lockWaitSettings(options),
    signal: options.signal,
    progress: (event) => options.onProgress?.(event),
    targetField: (migrationId, model, field) =>
      schemaAt(options.migrations, migrationId, plan.direction, 'end')?.models[model]?.fields[field],
    readableBefore: (migrationId, backfill) => {
      if (options.validateTransforms === false) return false;
      const start = schemaAt(options.migrations, migrationId, plan.direction, 'start');
      const model = Object.values(start?.models ?? {}).find(
        (m) => m.table === backfill.table && m.target === 'sql',
      );
      if (!model) return false;
      const columns = new Set(Object.entries(model.fields).map(([name, f]) => f.column ?? name));
      return [...backfill.key, ...Object.values(backfill.read)].every((c) => columns.has(c));
    },
    lease,
    keepAlive,
  };
  for (const [i, migration] of plan.run.entries()) {
    const result = results[i]!;
    const checksum = migrationChecksum(migration);
    const progress = progressRows.filter(
      (r) => r.migration_id === migration.id && r.direction === plan.direction,
    );
    const stale = progress.find((r) => !checksumMatches(r.checksum, migration));
    try {
      if (stale) {
        throw new EvolveError(
          'CHECKSUM_MISMATCH',
          `migration ${migration.id} changed while partly applied (its recorded progress has another checksum)`,
          { path: migration.id },
        );
      }
      const restoreSession = await caps.guardSession(conn);
      try {
        result.durationMs = await runMigration(ctx, migration, {
          direction: plan.direction,
          steps: compiled[i]!,
          checksum,
          progress,
        });
      } finally {
        await restoreSession().catch(() => {});
      }
      result.status = 'Success';
    } catch (error) {
      result.status = 'Error';
      return { ...done(results, plan), error: asEvolveError(error, migration.id) };
    }
  }
  return done(results, plan);
}

function done(applied: MigrationResult[], plan: RunPlan): MigrateResult {
  return plan.skipped.length > 0 ? { applied, skipped: plan.skipped } : { applied };
}
