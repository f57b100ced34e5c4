import { compileMigration } from '../plan/index.ts';
import type { CompileMigration } from './migrate-options.ts';

/** The planner's `compileMigration`, with the snapshot before the migration replayed from the history. */
export const defaultCompile: CompileMigration = (migration, context) =>
  compileMigration(migration, {
    dialect: context.dialect,
    before: context.before(),
    direction: context.direction,
    ...(context.lockTimeoutMs !== undefined ? { lockTimeoutMs: context.lockTimeoutMs } : {}),
  });
