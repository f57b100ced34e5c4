import { EvolveError } from '@evolve/core';
import { type CompiledQuery, sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { compileAddColumn, ddl, pathOf } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { enumCheckCondition, enumCheckName, enumValuesOf } from '../shared/enum-check.ts';
import type { TableState } from '../shared/table-state.ts';

type Step<K extends SqlStep['kind']> = Extract<SqlStep, { kind: K }>;

/** Drops the enum CHECK of a column, if there is one (a database migrated before evolve enforced enums has none). */
export function dropEnumCheck({ module }: CompileContext, table: string, column: string): CompiledQuery {
  return module.db.schema.alterTable(table).dropConstraint(enumCheckName(table, column)).ifExists().compile();
}

/**
 * Adds the enum CHECK of a column: on a table that holds rows NOT VALID (the new rows are checked from now
 * on; `validateEnumCheck` reads the old ones without blocking writes), plainly on a table this migration
 * created. An existing CHECK of the same name is replaced.
 */
export function addEnumCheck(
  context: CompileContext,
  table: TableState,
  column: string,
  values: readonly string[],
): CompiledQuery[] {
  const db = context.module.db;
  const name = enumCheckName(table.name, column);
  const notValid = table.fresh ? sql`` : sql` not valid`;
  return [
    dropEnumCheck(context, table.name, column),
    sql`alter table ${sql.table(table.name)} add constraint ${sql.id(name)} check (${enumCheckCondition(context.module, column, values)})${notValid}`.compile(
      db,
    ),
  ];
}

/**
 * Renames the enum CHECK named after `from` (table, column) to the name for `to`, when it exists: PostgreSQL
 * has no RENAME CONSTRAINT IF EXISTS, so a DO block looks it up (a database migrated before evolve enforced
 * enums has none).
 */
export function renameEnumCheck(
  { module }: CompileContext,
  table: string,
  from: [table: string, column: string],
  to: [table: string, column: string],
): CompiledQuery {
  const [oldName, newName] = [enumCheckName(...from), enumCheckName(...to)];
  const rename = module.db.schema.alterTable(table).renameConstraint(oldName, newName).compile().sql;
  const exists =
    sql`select 1 from pg_constraint where conrelid = to_regclass(${sql.lit(`"${table}"`)}) and conname = ${sql.lit(oldName)}`.compile(
      module.db,
    ).sql;
  // identifiers are validated names (letters, digits, underscores): they cannot close the dollar quotes
  return sql
    .raw(`do $evolve$ begin if exists (${exists}) then ${rename}; end if; end $evolve$`)
    .compile(module.db);
}

/** ADD COLUMN of an enum column on a table that holds rows: the column, then its CHECK added NOT VALID. */
export function compilePostgresAddColumn(step: Step<'addColumn'>, context: CompileContext): CompiledStep[] {
  const table = tableOf(context.state, step.table, step);
  const values = enumValuesOf(step.spec);
  // inline, the CHECK would be verified by a scan of the whole table under an exclusive lock
  if (!values || table.fresh) return compileAddColumn(step, context);
  const [added] = compileAddColumn(step, context, { check: false }) as [CompiledStep];
  return [
    {
      ...added,
      description: `${added.description} with its enum check (not valid)`,
      statements: [...added.statements, ...addEnumCheck(context, table, step.column, values)],
    },
  ];
}

/** A change of the values of an enum column (the stored type stays): the CHECK is swapped. */
export function compilePostgresEnumSwap(
  step: Step<'alterColumnType'>,
  context: CompileContext,
): CompiledStep[] {
  const table = tableOf(context.state, step.table, step);
  columnOfTable(table, step.column, step);
  const values = enumValuesOf(step);
  const path = pathOf(table, step.column);
  if (!values) {
    return [
      ddl(
        `drop the enum check of ${step.table}.${step.column}`,
        [dropEnumCheck(context, step.table, step.column)],
        {
          path,
        },
      ),
    ];
  }
  return [
    ddl(
      `check ${step.table}.${step.column} in (${values.join(', ')})${table.fresh ? '' : ' (not valid: validated by a later step)'}`,
      addEnumCheck(context, table, step.column, values),
      { path, ...(step.lossy ? { destructive: true } : {}) },
    ),
  ];
}

/** VALIDATE CONSTRAINT of a column's enum CHECK: reads the rows without blocking writes, outside a transaction. */
export function compilePostgresValidateEnumCheck(
  step: Step<'validateEnumCheck'>,
  context: CompileContext,
): CompiledStep[] {
  const table = tableOf(context.state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  if (!enumValuesOf(column.spec)) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `validateEnumCheck names ${step.table}.${step.column}, which is not an enum column at that point`,
      { path: pathOf(table, step.column) },
    );
  }
  const removed = step.removed ?? [];
  const path = pathOf(table, step.column);
  const name = enumCheckName(step.table, step.column);
  const marker = removed.length > 0 ? { destructive: true } : {};
  if (table.fresh) return [];
  return [
    {
      description:
        `validate ${name} (scans ${step.table} without blocking writes)` +
        (removed.length > 0 ? `; writes of ${removed.join(', ')} fail from the check's swap on` : ''),
      transactional: false,
      statements: [
        sql`alter table ${sql.table(step.table)} validate constraint ${sql.id(name)}`.compile(
          context.module.db,
        ),
      ],
      path,
      ...marker,
    },
  ];
}
