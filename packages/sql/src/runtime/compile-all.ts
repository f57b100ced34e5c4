import type { Migration } from '@evolve/core';
import type { CompiledStep } from '../compiled-step.ts';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import type { RunPlan } from './analyze-journal.ts';
import { checkAcknowledged } from './check-acknowledged.ts';
import { checkTransforms } from './check-transforms.ts';
import { defaultCompile } from './default-compile.ts';
import { lockWaitSettings } from './lock-wait-settings.ts';
import type { MigrateOptions, MigrationResult } from './migrate-options.ts';
import { snapshotReplay } from './snapshot-replay.ts';

/** Options once the migration list is known. */
export type ResolvedOptions = MigrateOptions & { migrations: readonly Migration[] };

/** Every migration of a plan as not run (yet). */
export function notExecuted(plan: RunPlan): MigrationResult[] {
  return plan.run.map((m) => ({
    id: m.id,
    direction: plan.direction,
    status: 'NotExecuted',
    ...(plan.outOfOrder.has(m.id) ? { outOfOrder: true } : {}),
  }));
}

/** Compiles and checks every migration of a plan (memoized in `cache` by id and direction). */
export function compileAll(
  caps: DialectCapabilities,
  options: ResolvedOptions,
  plan: RunPlan,
  cache: Map<string, readonly CompiledStep[]>,
): (readonly CompiledStep[])[] {
  const compile = options.compile ?? defaultCompile;
  const replay = snapshotReplay(options.migrations);
  const { timeoutMs } = lockWaitSettings(options);
  return plan.run.map((migration) => {
    const key = `${plan.direction}:${migration.id}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const index = options.migrations.indexOf(migration);
    const steps = compile(migration, {
      dialect: caps.dialect,
      direction: plan.direction,
      before: () => replay(index),
      lockTimeoutMs: timeoutMs,
    });
    checkAcknowledged(migration, steps, {
      direction: plan.direction,
      acknowledgeDataLoss: options.acknowledgeDataLoss,
      schemas: () => ({ before: replay(index), after: replay(index + 1) }),
    });
    for (const step of steps) if (step.backfill) checkTransforms(migration, step.backfill);
    cache.set(key, steps);
    return steps;
  });
}
