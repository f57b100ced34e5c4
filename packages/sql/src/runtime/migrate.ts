import { randomUUID } from 'node:crypto';
import {
  EvolveError,
  isEvolveError,
  type Migration,
  migrationChecksum,
  replayMigrations,
  type Snapshot,
} from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import { acquireLock } from './acquire-lock.ts';
import { planRun, type RunPlan } from './analyze-journal.ts';
import { capabilitiesFor } from './capabilities-for.ts';
import { checkAcknowledged } from './check-acknowledged.ts';
import { checkTransforms } from './check-transforms.ts';
import { defaultCompile } from './default-compile.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { createJournalTables, readJournal, readStepRows } from './journal.ts';
import { migrationList } from './load-migrations.ts';
import type { MigrateOptions, MigrateResult, MigrationResult } from './migrate-options.ts';
import { validateMigrationList } from './migration-sequence.ts';
import type { RunContext } from './run-context.ts';
import { runMigration } from './run-migration.ts';
import { snapshotReplay } from './snapshot-replay.ts';

const DEFAULTS = { lockTimeoutMs: 60_000, batchSize: 2_000, pauseMs: 0 };
/** A lease-based lock is renewed at most this often. */
const RENEW_EVERY_MS = 10_000;

/**
 * Brings the database to the latest migration (or to `options.to`, reverting newer ones) on the
 * application's own Kysely instance. It pins one connection for the whole run, answers in one query when
 * nothing is pending, otherwise takes the migration lock (others wait, then find nothing to do), verifies
 * checksums and order, refuses unacknowledged destructive steps before anything runs, and applies each
 * migration in a transaction where DDL is transactional, with batched, checkpointed backfills.
 * It never throws: the result lists each migration's outcome and the error that stopped the run.
 *
 * @example
 * import migrations from './migrations/index.ts';
 * const { applied, error } = await migrate(db, { migrations });
 * if (error) throw error;
 */
export async function migrate(db: Kysely<any>, options: MigrateOptions): Promise<MigrateResult> {
  return execute(db, options, {});
}

/** Shared by `migrate` and `rollback`. */
export async function execute(
  db: Kysely<any>,
  options: MigrateOptions,
  mode: { downOnly?: boolean },
): Promise<MigrateResult> {
  // undefined until a connection is asked for; false while it is being acquired.
  let connected: boolean | undefined;
  try {
    const migrations = await migrationList(options);
    validateMigrationList(migrations);
    const caps = capabilitiesFor(db);
    const resolved = { ...options, migrations };
    connected = false;
    return await db.connection().execute((conn) => {
      connected = true;
      return runPinned(conn, caps, resolved, mode);
    });
  } catch (error) {
    if (connected === false && !isEvolveError(error)) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        applied: [],
        error: new EvolveError('CONNECTION_FAILED', `migrate could not connect to the database: ${message}`, {
          cause: error,
        }),
      };
    }
    return { applied: [], error: asEvolveError(error) };
  }
}

type ResolvedOptions = MigrateOptions & { migrations: readonly Migration[] };

async function runPinned(
  conn: Kysely<any>,
  caps: DialectCapabilities,
  options: ResolvedOptions,
  mode: { downOnly?: boolean },
): Promise<MigrateResult> {
  const journal = await readJournal(conn, caps.isMissingTable);
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

  const replan = async () =>
    planRun(options.migrations, (await readJournal(conn, caps.isMissingTable)) ?? [], {
      ...options,
      ...mode,
    });
  let latest = first;
  const owner = randomUUID();
  const locked = await acquireLock(conn, caps, {
    owner,
    timeoutMs: options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
    signal: options.signal,
    onWait: (waitedMs) => options.onProgress?.({ type: 'lock-wait', waitedMs }),
    stillNeeded: async () => {
      latest = await replan();
      return latest.run.length > 0;
    },
  });
  // Another instance finished the work while this one waited.
  if (!locked) return done([], latest);
  try {
    let current = await readJournal(conn, caps.isMissingTable);
    if (current === undefined) {
      await createJournalTables(conn);
      current = [];
    }
    // Another instance may have migrated while this one waited.
    const plan = planRun(options.migrations, current, { ...options, ...mode });
    if (plan.run.length === 0) return done([], plan);
    return await applyPlan(conn, caps, options, plan, owner, compiled);
  } finally {
    await caps.releaseLock(conn, owner).catch(() => {});
  }
}

async function applyPlan(
  conn: Kysely<any>,
  caps: DialectCapabilities,
  options: ResolvedOptions,
  plan: RunPlan,
  owner: string,
  cache: Map<string, readonly CompiledStep[]>,
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
  let lastRenewal = Date.now();
  const ctx: RunContext = {
    conn,
    caps,
    batchSize: Math.max(1, Math.trunc(options.batchSize ?? DEFAULTS.batchSize)),
    pauseMs: options.pauseMs ?? DEFAULTS.pauseMs,
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
    keepAlive: async () => {
      if (Date.now() - lastRenewal < RENEW_EVERY_MS) return;
      lastRenewal = Date.now();
      await caps.renewLock(conn, owner);
    },
  };
  for (const [i, migration] of plan.run.entries()) {
    const result = results[i]!;
    const checksum = migrationChecksum(migration);
    const progress = progressRows.filter(
      (r) => r.migration_id === migration.id && r.direction === plan.direction,
    );
    const stale = progress.find((r) => r.checksum !== checksum);
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

function notExecuted(plan: RunPlan): MigrationResult[] {
  return plan.run.map((m) => ({
    id: m.id,
    direction: plan.direction,
    status: 'NotExecuted',
    ...(plan.outOfOrder.has(m.id) ? { outOfOrder: true } : {}),
  }));
}

/** Compiles and checks every migration of a plan (memoized in `cache` by id and direction). */
function compileAll(
  caps: DialectCapabilities,
  options: ResolvedOptions,
  plan: RunPlan,
  cache: Map<string, readonly CompiledStep[]>,
): (readonly CompiledStep[])[] {
  const compile = options.compile ?? defaultCompile;
  const replay = snapshotReplay(options.migrations);
  return plan.run.map((migration) => {
    const key = `${plan.direction}:${migration.id}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const index = options.migrations.indexOf(migration);
    const steps = compile(migration, {
      dialect: caps.dialect,
      direction: plan.direction,
      before: () => replay(index),
    });
    checkAcknowledged(migration, steps, {
      direction: plan.direction,
      acknowledgeDataLoss: options.acknowledgeDataLoss,
    });
    for (const step of steps) if (step.backfill) checkTransforms(migration, step.backfill);
    cache.set(key, steps);
    return steps;
  });
}

/** The schema at the start or end of a migration run in a direction; undefined when the history does not replay. */
function schemaAt(
  migrations: readonly Migration[],
  id: string,
  direction: RunPlan['direction'],
  at: 'start' | 'end',
): Snapshot | undefined {
  try {
    const step = replayMigrations(migrations).steps.find((s) => s.migration.id === id);
    return (direction === 'up') === (at === 'end') ? step?.after : step?.before;
  } catch {
    return undefined;
  }
}

function done(applied: MigrationResult[], plan: RunPlan): MigrateResult {
  return plan.skipped.length > 0 ? { applied, skipped: plan.skipped } : { applied };
}

function asEvolveError(error: unknown, migrationId?: string): EvolveError {
  if (isEvolveError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EvolveError(
    'MIGRATION_FAILED',
    migrationId ? `migration ${migrationId} failed: ${message}` : `migrate failed: ${message}`,
    { cause: error, ...(migrationId ? { path: migrationId } : {}) },
  );
}
