import { EvolveError } from '@evolve/core';
import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from './apply-step.ts';
import { pathOf } from './common-steps.ts';
import type { CompileContext } from './dialect-capabilities.ts';
import { enumCheckCondition, enumValuesOf } from './enum-check.ts';

/**
 * `validateEnumCheck` where the engine's own change of the CHECK did not read the rows (MariaDB's instant
 * MODIFY COLUMN) or where reading them again is cheap insurance (SQLite, whose rebuild copied them through
 * the CHECK): a query for rows outside the values, any of which fails the step with VALIDATION_FAILED.
 * With `removed` the step is destructive (acknowledged at the field's path). Nothing on a table created by
 * the same migration.
 */
export function compileVerifyEnumCheck(
  step: Extract<SqlStep, { kind: 'validateEnumCheck' }>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  const path = pathOf(table, step.column);
  const values = enumValuesOf(column.spec);
  if (!values) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `validateEnumCheck names ${step.table}.${step.column}, which is not an enum column at that point`,
      { path },
    );
  }
  if (table.fresh) return [];
  const removed = step.removed ?? [];
  const violations = module.db
    .selectFrom(step.table)
    .select([...table.primaryKey, step.column])
    .where(sql<boolean>`not (${enumCheckCondition(module, step.column, values)})`)
    .limit(10)
    .compile();
  return [
    {
      description:
        `validate ${step.table}.${step.column} in (${values.join(', ')})` +
        (removed.length > 0 ? `; writes of ${removed.join(', ')} fail from the check's swap on` : ''),
      transactional: true,
      statements: [],
      verify: [violations],
      path,
      ...(removed.length > 0 ? { destructive: true } : {}),
    },
  ];
}
