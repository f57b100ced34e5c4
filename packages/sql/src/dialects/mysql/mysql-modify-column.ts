import type { CompiledQuery } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { dataType, defineColumn } from '../shared/column-definition.ts';
import { compileSetDefault, ddl, pathOf } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { enumValuesOf } from '../shared/enum-check.ts';
import type { StepHook } from '../shared/step-hooks.ts';
import { valueKind } from '../shared/value-kind.ts';
import { sameStoredType } from './mysql-algorithm.ts';

// MODIFY COLUMN restates the whole column definition: nullability, type, JSON defaults and AUTO_INCREMENT
// all change through it.

/** MODIFY COLUMN with a column's whole definition. */
function modify({ module }: CompileContext, table: string, column: string, spec: ColumnSpec): CompiledQuery {
  return module.db.schema
    .alterTable(table)
    .modifyColumn(column, dataType(module, spec), defineColumn(module, spec, { check: { table, column } }))
    .compile();
}

/** A type change (a table copy), or only an enum's CHECK changed (instant: the rows are validated later). */
export const alterMysqlColumnType: StepHook<'alterColumnType'> = (step, context) => {
  const table = tableOf(context.state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  const spec: ColumnSpec = { ...column.spec, type: step.type };
  if (step.sqlType !== undefined) spec.sqlType = step.sqlType;
  else delete spec.sqlType;
  const lossy = step.lossy ? { destructive: true } : {};
  const statements = [modify(context, step.table, step.column, spec)];
  if (sameStoredType(step, context)) {
    const values = enumValuesOf(spec);
    return [
      ddl(
        values
          ? `check ${step.table}.${step.column} in (${values.join(', ')}) (instant: the rows are validated by a later step)`
          : `drop the enum check of ${step.table}.${step.column} (instant)`,
        statements,
        { path: pathOf(table, step.column), ...lossy },
      ),
    ];
  }
  return [
    ddl(
      `change type of ${step.table}.${step.column} to ${context.module.columnType(spec)} (rewrites the table)`,
      statements,
      { path: pathOf(table, step.column), rewritesTable: true, ...lossy },
    ),
  ];
};

/** SET / DROP NOT NULL as MODIFY COLUMN. */
export const changeMysqlNullability: StepHook<'setNotNull' | 'dropNotNull'> = (step, context) => {
  const table = tableOf(context.state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  const nullable = step.kind === 'dropNotNull';
  return [
    ddl(
      `${nullable ? 'drop not null on' : 'set not null on'} ${step.table}.${step.column}`,
      [modify(context, step.table, step.column, { ...column.spec, nullable })],
      { path: pathOf(table, step.column), rewritesTable: !nullable && !table.fresh },
    ),
  ];
};

/** A json default is an expression, which ALTER COLUMN SET DEFAULT does not take everywhere: MODIFY COLUMN. */
export const setMysqlDefault: StepHook<'setDefault' | 'dropDefault'> = (step, context) => {
  const table = tableOf(context.state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  if (valueKind(column.spec.type) !== 'json' || step.kind === 'dropDefault')
    return compileSetDefault(step, context);
  return [
    ddl(
      `set default of ${step.table}.${step.column}`,
      [modify(context, step.table, step.column, { ...column.spec, default: step.value })],
      { path: pathOf(table, step.column) },
    ),
  ];
};

/**
 * AUTO_INCREMENT on or off through MODIFY COLUMN; InnoDB numbers on after the largest key when it is added.
 * A key 0 would be renumbered silently by the copy (0 asks AUTO_INCREMENT for a value): refused first.
 */
export const changeMysqlIdentity: StepHook<'addIdentity' | 'dropIdentity'> = (step, context) => {
  const db = context.module.db;
  const table = tableOf(context.state, step.table, step);
  const { generated: _, ...spec } = columnOfTable(table, step.column, step).spec;
  const adding = step.kind === 'addIdentity';
  const zeros = db.selectFrom(step.table).select(step.column).where(step.column, '=', 0).limit(10);
  const guard =
    adding && !table.fresh
      ? [
          {
            description: `check no row of ${step.table} has key ${step.column} = 0 (AUTO_INCREMENT would renumber it)`,
            transactional: true,
            statements: [],
            verify: [zeros.compile()],
            path: pathOf(table, step.column),
          },
        ]
      : [];
  return [
    ...guard,
    ddl(
      `${adding ? 'generate' : 'stop generating'} ${step.table}.${step.column} (auto_increment${table.fresh ? '' : '; copies the table'})`,
      [modify(context, step.table, step.column, adding ? { ...spec, generated: 'identity' } : spec)],
      { path: pathOf(table, step.column), rewritesTable: !table.fresh },
    ),
  ];
};
