import { EvolveError } from '@evolve/core';
import { type CompiledQuery, type CreateTableBuilder, sql } from 'kysely';
import type { BackfillSource, CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from './apply-step.ts';
import { dataType, defineColumn } from './column-definition.ts';
import type { CompileContext, DialectCapabilities } from './dialect-capabilities.ts';
import { primaryKeyName } from './sql-fragments.ts';
import type { ColumnState, TableState } from './table-state.ts';

type Step<K extends SqlStep['kind']> = Extract<SqlStep, { kind: K }>;

/** `User.email` for a column of a table (the model field when known). */
export function pathOf(table: TableState, column?: string): string {
  if (column === undefined) return table.model;
  const state = table.columns.find((c) => c.name === column);
  return `${table.model}.${state?.field ?? column}`;
}

/** A transactional step of plain statements. */
export function ddl(
  description: string,
  statements: CompiledQuery[],
  extra: Partial<CompiledStep> = {},
): CompiledStep {
  return { description, transactional: true, statements, ...extra };
}

/** CREATE TABLE for a table state (optionally under another name, with or without its foreign keys). */
export function createTableQuery(
  module: DialectCapabilities,
  table: Pick<TableState, 'name' | 'columns' | 'primaryKey' | 'foreignKeys'>,
  options: { as?: string; foreignKeys?: boolean; primaryKeyName?: string } = {},
): CompiledQuery {
  const name = options.as ?? table.name;
  let builder: CreateTableBuilder<any, any> = module.db.schema.createTable(name);
  for (const column of table.columns) {
    builder = builder.addColumn(
      column.name,
      dataType(module, column.spec),
      // an enum's CHECK is named after the table it ends up in (a rebuild creates it under a scratch name)
      defineColumn(module, column.spec, { check: { table: table.name, column: column.name } }),
    );
  }
  builder = builder.addPrimaryKeyConstraint(
    options.primaryKeyName ?? primaryKeyName(table.name),
    table.primaryKey,
  );
  if (options.foreignKeys) {
    for (const fk of table.foreignKeys) {
      builder = builder.addForeignKeyConstraint(
        fk.name,
        fk.columns,
        fk.references.table,
        fk.references.columns,
        (c) => c.onDelete(fk.onDelete),
      );
    }
  }
  return builder.compile();
}

export function compileCreateTable(step: Step<'createTable'>, { module }: CompileContext): CompiledStep[] {
  const columns: ColumnState[] = Object.entries(step.columns).map(([name, spec]) => ({ name, spec }));
  return [
    ddl(
      `create table ${step.table}`,
      [createTableQuery(module, { name: step.table, columns, primaryKey: step.primaryKey, foreignKeys: [] })],
      { path: step.model },
    ),
  ];
}

export function compileDropTable(step: Step<'dropTable'>, { module, state }: CompileContext): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  return [
    ddl(`drop table ${step.table} (destroys its rows)`, [module.db.schema.dropTable(step.table).compile()], {
      destructive: true,
      path: table.model,
    }),
  ];
}

export function compileAddColumn(
  step: Step<'addColumn'>,
  { module, state }: CompileContext,
  options: { check?: boolean } = {},
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const check = options.check === false ? {} : { check: { table: step.table, column: step.column } };
  const query = module.db.schema
    .alterTable(step.table)
    .addColumn(step.column, dataType(module, step.spec), defineColumn(module, step.spec, check))
    .compile();
  const nullability = step.spec.nullable ? 'nullable' : 'not null';
  return [
    ddl(
      `add column ${step.table}.${step.column} (${module.columnType(step.spec)}, ${nullability})`,
      [query],
      {
        path: `${table.model}.${step.column}`,
      },
    ),
  ];
}

/** One statement on a column the state has (INVALID_MIGRATION otherwise), pointing at the column's field. */
function columnDdl(
  step: Step<'dropColumn'> | Step<'renameColumn'>,
  state: CompileContext['state'],
  description: string,
  query: CompiledQuery,
  extra: Partial<CompiledStep> = {},
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  columnOfTable(table, step.column, step);
  return [ddl(description, [query], { ...extra, path: pathOf(table, step.column) })];
}

export function compileDropColumn(
  step: Step<'dropColumn'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const query = module.db.schema.alterTable(step.table).dropColumn(step.column).compile();
  return columnDdl(step, state, `drop column ${step.table}.${step.column} (destroys its data)`, query, {
    destructive: true,
  });
}

export function compileRenameColumn(
  step: Step<'renameColumn'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const query = module.db.schema.alterTable(step.table).renameColumn(step.column, step.to).compile();
  return columnDdl(step, state, `rename column ${step.table}.${step.column} to ${step.to}`, query);
}

export function compileSetDefault(
  step: Step<'setDefault'> | Step<'dropDefault'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  const query = module.db.schema
    .alterTable(step.table)
    .alterColumn(step.column, (c) =>
      step.kind === 'setDefault'
        ? c.setDefault(module.defaultExpression(column.spec, step.value))
        : c.dropDefault(),
    )
    .compile();
  const what =
    step.kind === 'setDefault'
      ? `set default of ${step.table}.${step.column}`
      : `drop default of ${step.table}.${step.column}`;
  return [ddl(what, [query], { path: pathOf(table, step.column) })];
}

export function compileCreateIndexPlain(
  step: Step<'createIndex'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  let builder = module.db.schema.createIndex(step.name).on(step.table).columns(step.columns);
  if (step.unique) builder = builder.unique();
  return [
    ddl(`create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table}`, [builder.compile()], {
      path: table.model,
    }),
  ];
}

export function compileAddForeignKeyPlain(
  step: Step<'addForeignKey'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const query = module.db.schema
    .alterTable(step.table)
    .addForeignKeyConstraint(step.name, step.columns, step.references.table, step.references.columns, (c) =>
      c.onDelete(step.onDelete),
    )
    .compile();
  return [ddl(`add foreign key ${step.name} on ${step.table}`, [query], { path: table.model })];
}

export function compileRenameTable(
  step: Step<'renameTable'>,
  { module, state }: CompileContext,
): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  return [
    ddl(
      `rename table ${step.table} to ${step.to}`,
      [module.db.schema.alterTable(step.table).renameTo(step.to).compile()],
      {
        path: table.model,
      },
    ),
  ];
}

/** A backfill compiles to a plan the runner executes in batches; it has no statements. */
export function compileBackfill(step: Step<'backfill'>, { state, module }: CompileContext): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const set: Record<string, BackfillSource> = {};
  const onlyNull: string[] = [];
  for (const [column, source] of Object.entries(step.set)) {
    const target = columnOfTable(table, column, step);
    if ('value' in source && source.onlyNull && source.value !== null) {
      // set-based `coalesce(column, constant)`: keeps the values rows already have, in one UPDATE per batch
      const fill = module.defaultExpression(target.spec, source.value);
      set[column] = { expression: sql`coalesce(${sql.ref(column)}, ${fill})`.compile(module.db).sql };
      continue;
    }
    if (source.onlyNull) onlyNull.push(column);
    if ('transform' in source) {
      const [head, ...rest] = source.transform.split('.');
      const field = table.columns.find((c) => c.name === column)?.field;
      const nested = rest.length > 0 && (head === column || head === field);
      set[column] = {
        transform: { model: step.model, field: source.transform, ...(nested ? { path: rest } : {}) },
      };
    } else if ('moveJson' in source) {
      const split = (dotted: string) => {
        const [head, ...path] = dotted.split('.');
        columnOfTable(table, head as string, step);
        return { column: head as string, path };
      };
      const move = { from: split(source.moveJson.from), to: split(source.moveJson.to) };
      if (move.to.column !== column) {
        throw new EvolveError(
          'INVALID_MIGRATION',
          `moveJson into ${source.moveJson.to} must fill column ${column}`,
          {
            path: `${step.model}.${column}`,
          },
        );
      }
      const expression = module.moveJsonExpression(move, target.spec);
      const sqlText = sql`${expression}`.compile(module.db).sql;
      set[column] = { expression: sqlText };
    } else if ('value' in source) set[column] = { value: source.value };
    else set[column] = { expression: source.expression };
  }
  const columns = Object.keys(set);
  return [
    {
      description: `backfill ${step.table}.${columns.join(', ')} in batches`,
      transactional: true,
      statements: [],
      backfill: {
        model: step.model,
        table: step.table,
        key: [...table.primaryKey],
        read: { ...table.reads },
        set,
        ...(onlyNull.length > 0 ? { onlyNull } : {}),
      },
      path: pathOf(table, columns[0]),
    },
  ];
}

export function compileRawSql(step: Step<'rawSql'>, { module }: CompileContext): CompiledStep[] {
  const text = step[module.dialect];
  if (text === undefined) {
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `a rawSql step has no SQL for ${module.dialect}${step.description ? ` (${step.description})` : ''}`,
    );
  }
  return [
    {
      description: step.description ?? 'hand-written SQL',
      transactional: step.transactional ?? true,
      statements: [sql.raw(text).compile(module.db)],
    },
  ];
}
