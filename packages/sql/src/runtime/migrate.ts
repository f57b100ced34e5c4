import { randomUUID } from 'node:crypto';
import { EvolveError, isEvolveError, migrationChecksum } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import { acquireLock } from './acquire-lock.ts';
import { planRun, type RunPlan } from './analyze-journal.ts';
import { asEvolveError } from './as-evolve-error.ts';
import { capabilitiesFor } from './capabilities-for.ts';
import { compileAll, notExecuted, type ResolvedOptions } from './compile-all.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { createJournalTables, readJournal, readStepRows } from './journal.ts';
import { migrationList } from './load-migrations.ts';
import type { MigrateOptions, MigrateResult, MigrationResult } from './migrate-options.ts';
import { validateMigrationList } from './migration-sequence.ts';
import type { RunContext } from './run-context.ts';
import { runMigration } from './run-migration.ts';
import { schemaAt } from './schema-at.ts';

const DEFAULTS = { lockTimeoutMs: 60_000, batchSize: 1_000, targetBatchMs: 40, pauseMs: 0 };
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
    // A batch size the caller chose stays fixed; the default adapts to the table and the machine.
    targetBatchMs:
      options.batchSize === undefined ? (options.targetBatchMs ?? DEFAULTS.targetBatchMs) : undefined,
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

function done(applied: MigrationResult[], plan: RunPlan): MigrateResult {
  return plan.skipped.length > 0 ? { applied, skipped: plan.skipped } : { applied };
}
