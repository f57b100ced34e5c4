import { deepFreeze } from '@evolve/core';
import type { RawSqlByDialect, SqlStep } from '../../steps/sql-step.ts';

/**
 * Hand-written SQL per dialect. A dialect without SQL here cannot run the migration (UNSUPPORTED_CHANGE).
 *
 * @example
 * rawSql({ postgres: 'create extension if not exists citext', transactional: true })
 */
export const rawSql = (
  options: RawSqlByDialect & { transactional?: boolean; description?: string },
): Extract<SqlStep, { kind: 'rawSql' }> =>
  deepFreeze({ kind: 'rawSql', ...options }) as Extract<SqlStep, { kind: 'rawSql' }>;
