import { EvolveError, type Migration } from '@evolve/core';
import type { CompiledStep, SqlDialect } from '../compiled-step.ts';
import * as planner from '../plan/index.ts';
import type { CompileMigration } from './migrate-options.ts';

type PlannerCompile = (
  migration: Migration,
  options: { dialect: SqlDialect; before: unknown; direction: 'up' | 'down' },
) => readonly CompiledStep[];

/** The planner's `compileMigration`, with the snapshot before the migration replayed from the history. */
export const defaultCompile: CompileMigration = (migration, context) => {
  const compile = (planner as Record<string, unknown>).compileMigration as PlannerCompile | undefined;
  if (typeof compile !== 'function') {
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      'the SQL planner (compileMigration) is not available in this build',
      {
        path: migration.id,
      },
    );
  }
  return compile(migration, {
    dialect: context.dialect,
    before: context.before(),
    direction: context.direction,
  });
};
