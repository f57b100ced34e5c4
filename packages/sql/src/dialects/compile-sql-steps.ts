import { deepFreeze, type Snapshot } from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';
import type { SqlStep } from '../steps/sql-step.ts';
import { capabilitiesOf } from './capabilities-for.ts';
import { applyStep } from './shared/apply-step.ts';
import { schemaStateOf } from './shared/table-state.ts';
import { changeLogTracker, type Traced, trackStep, weaveChangeLogs } from './weave-change-logs.ts';

export interface CompileOptions {
  dialect: SqlDialect;
  /** The schema before the first step (the runner replays the migration history to get it). */
  before: Snapshot;
  /** How long DDL waits for a lock (PostgreSQL `lock_timeout`). Default 5000 ms. */
  lockTimeoutMs?: number;
}

/**
 * Compiles high-level steps to one dialect's SQL, step by step against the schema as it is at that point.
 * The SQL comes from Kysely builders compiled without a connection; backfills become batched plans.
 *
 * @example
 * const compiled = compileSqlSteps([addColumn('User', 'email', { type: { kind: 'string' }, nullable: true })],
 *   { dialect: 'postgres', before });
 * compiled[0]?.statements[1]?.sql; // alter table "User" add column "email" text
 */
export function compileSqlSteps(planned: readonly SqlStep[], options: CompileOptions): CompiledStep[] {
  const module = capabilitiesOf(options.dialect);
  const state = schemaStateOf(options.before);
  const context = { module, state, lockTimeoutMs: options.lockTimeoutMs ?? 5000 };
  const steps = module.orderSteps?.(planned, context) ?? planned;
  const compiled: Traced[] = [];
  const tracker = changeLogTracker();
  for (let i = 0; i < steps.length; ) {
    const rest = steps.slice(i);
    const run = module.compileRun?.(rest, context);
    const consumed = run ? run.consumed : 1;
    const out = run ? run.compiled : module.compileStep(rest[0] as SqlStep, context);
    compiled.push(...out.map((step) => ({ step, origin: i })));
    for (const [offset, step] of rest.slice(0, consumed).entries()) {
      trackStep(tracker, state, step, i + offset);
      applyStep(state, step);
    }
    i += consumed;
  }
  return weaveChangeLogs(steps, compiled, tracker, context).map((s) =>
    Object.freeze({
      ...s,
      statements: Object.freeze([...s.statements]) as CompiledStep['statements'],
      ...(s.backfill ? { backfill: deepFreeze(structuredClone(s.backfill)) } : {}),
    }),
  );
}
