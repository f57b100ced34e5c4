import {
  applyChanges,
  type ChangeSet,
  EvolveError,
  type Migration,
  reverse,
  type Snapshot,
} from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';
import { compileSqlSteps } from '../dialects/compile-sql-steps.ts';
import type { SqlStep } from '../steps/sql-step.ts';
import { parseSqlSection } from './parse-sql-section.ts';
import { planSqlSteps } from './plan-sql-steps.ts';

export interface CompileMigrationOptions {
  dialect: SqlDialect;
  /** The snapshot before the migration (at its `from` hash), in both directions. */
  before: Snapshot;
  direction: 'up' | 'down';
  lockTimeoutMs?: number;
}

/**
 * A migration's executable steps for one dialect and direction. It uses the migration's `sql.up` /
 * `sql.down` steps when present (a malformed section is INVALID_MIGRATION) and otherwise plans them from
 * `changes` (down: from the reversed changes, against the schema after the migration).
 *
 * @example
 * const steps = compileMigration(migration, { dialect: dialectOf(db), before, direction: 'up' });
 */
export function compileMigration(migration: Migration, options: CompileMigrationOptions): CompiledStep[] {
  const section = parseSqlSection(migration.sql, migration.id);
  const changeSet: ChangeSet = { from: migration.from, to: migration.to, changes: [...migration.changes] };
  const compile = (steps: readonly SqlStep[], before: Snapshot) =>
    compileSqlSteps(steps, {
      dialect: options.dialect,
      before,
      ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
    });
  const withPath = (error: unknown): never => {
    if (error instanceof EvolveError && error.path === undefined) {
      throw new EvolveError(error.code, `${migration.id}: ${error.message}`, {
        path: migration.id,
        cause: error,
      });
    }
    throw error;
  };
  try {
    if (options.direction === 'up') {
      const steps =
        section?.up ??
        planSqlSteps(changeSet, {
          before: options.before,
          ...(migration.transforms ? { transforms: migration.transforms } : {}),
        });
      return compile(steps, options.before);
    }
    const after = applyChanges(options.before, changeSet);
    const steps = section?.down ?? planSqlSteps(reverse(changeSet), { before: after });
    return compile(steps, after);
  } catch (error) {
    return withPath(error);
  }
}
