import { EvolveError } from '@evolve/core';
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import { jsonText } from './json-param.ts';

/** How a runner that records each statement's start follows a step (see `runRecordedSegment`). */
export interface StatementHooks {
  /** Statements before this index finished in an earlier attempt: they are skipped. */
  resumeAt: number;
  /** Runs before statement `index` (records it as under way). */
  before(index: number, statement: CompiledQuery): Promise<void>;
  /** Whether statement `index` failed only because an earlier attempt of ours had already applied it. */
  applied(error: unknown, statement: CompiledQuery, index: number): Promise<boolean>;
}

/**
 * Runs one step's statements on `executor` (a transaction or the pinned connection): triggers of a
 * rebuilt table are read first and recreated after, then the step's checks run; a check returning rows
 * fails the step with VALIDATION_FAILED. Any statement error fails the step, unless `hooks` say that an
 * earlier, interrupted attempt of this very statement had already taken effect.
 */
export async function runStep(
  executor: Kysely<any>,
  step: CompiledStep,
  caps: DialectCapabilities,
  hooks?: StatementHooks,
): Promise<void> {
  const triggers =
    step.recreateTriggersOf && caps.triggersOf
      ? await caps.triggersOf(executor, step.recreateTriggersOf)
      : [];
  for (const [index, statement] of step.statements.entries()) {
    if (hooks && index < hooks.resumeAt) continue;
    await hooks?.before(index, statement);
    try {
      await executor.executeQuery(statement);
    } catch (error) {
      if (!(await hooks?.applied(error, statement, index))) throw error;
    }
  }
  // Trigger SQL comes from the database's own catalog.
  for (const trigger of triggers) await sql.raw(trigger).execute(executor);
  for (const check of step.verify ?? []) {
    const { rows } = await executor.executeQuery(check);
    if (rows.length > 0) {
      throw new EvolveError(
        'VALIDATION_FAILED',
        `${step.description}: the check after it found ${rows.length} violation(s), e.g. ${jsonText(rows[0])}`,
        { ...(step.path ? { path: step.path } : {}), details: { violations: rows.slice(0, 10) } },
      );
    }
  }
}
