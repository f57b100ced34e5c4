import { EvolveError } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { CompiledStep } from '../compiled-step.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { jsonText } from './json-param.ts';

/**
 * Runs one step's statements on `executor` (a transaction or the pinned connection): triggers of a
 * rebuilt table are read first and recreated after, then the step's checks run; a check returning rows
 * fails the step with VALIDATION_FAILED. Where DDL is not transactional, a statement that had already
 * taken effect (an interrupted earlier run) is passed over.
 */
export async function runStep(
  executor: Kysely<any>,
  step: CompiledStep,
  caps: DialectCapabilities,
): Promise<void> {
  const triggers =
    step.recreateTriggersOf && caps.triggersOf
      ? await caps.triggersOf(executor, step.recreateTriggersOf)
      : [];
  for (const statement of step.statements) {
    try {
      await executor.executeQuery(statement);
    } catch (error) {
      if (!caps.isAlreadyApplied?.(error, statement.sql)) throw error;
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
