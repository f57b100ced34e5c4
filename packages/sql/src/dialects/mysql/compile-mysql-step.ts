import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { ColumnSpec, SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { dataType, defineColumn } from '../shared/column-definition.ts';
import {
  compileAddForeignKeyPlain,
  compileBackfill,
  compileCommonStep,
  compileCreateIndexPlain,
  compileRawSql,
  compileRenameTable,
  compileSetDefault,
  ddl,
  pathOf,
} from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-module.ts';
import { enumValuesOf } from '../shared/enum-check.ts';
import { idList } from '../shared/sql-fragments.ts';
import { valueKind } from '../shared/value-kind.ts';
import { compileVerifyEnumCheck } from '../shared/verify-enum-check.ts';
import { assertIndexable } from './unindexable-columns.ts';

const INSTANT = 'algorithm=instant';
const ONLINE = 'algorithm=inplace, lock=none';

/**
 * The algorithm clause for a step on a table that holds rows, where it is valid on both MySQL 8.0.12+ and
 * MariaDB 10.3+: INSTANT for adding a column at the end and for defaults; INPLACE without locks for the
 * rebuilds that allow concurrent writes. The server refuses rather than silently copying the table.
 */
function algorithmFor(step: SqlStep, context: CompileContext): string | undefined {
  if (!('table' in step) || context.state.get(step.table)?.fresh !== false) return undefined;
  switch (step.kind) {
    case 'addColumn':
      return INSTANT;
    case 'setDefault': {
      const column = context.state.get(step.table)?.columns.find((c) => c.name === step.column);
      return column && valueKind(column.spec.type) === 'json' ? undefined : INSTANT;
    }
    case 'dropDefault':
      return INSTANT;
    case 'alterColumnType':
      // the stored type stays and only an enum's CHECK changes: a change of the column's definition alone
      // (MariaDB does not read the rows then; `validateEnumCheck` does)
      return sameStoredType(step, context) ? INSTANT : undefined;
    case 'renameColumn':
    case 'dropColumn':
    case 'setNotNull':
    case 'dropNotNull':
    case 'changePrimaryKey':
      return ONLINE;
    default:
      return undefined;
  }
}

/** Whether a type change keeps the column's SQL type (a change of an enum's values, or to or from an enum). */
function sameStoredType(
  step: Extract<SqlStep, { kind: 'alterColumnType' }>,
  context: CompileContext,
): boolean {
  const column = context.state.get(step.table)?.columns.find((c) => c.name === step.column);
  return column !== undefined && context.module.columnType(step) === context.module.columnType(column.spec);
}

/**
 * MySQL / MariaDB: DDL commits implicitly, so each step stands alone. Work on tables that hold rows names
 * its algorithm (see `algorithmFor`; secondary indexes are built INPLACE without locks); nullability and
 * type changes use MODIFY COLUMN with the whole column definition (a table copy for type changes).
 */
export function compileMysqlStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  assertIndexable(step, context);
  const compiled = compileMysqlStepPlain(step, context);
  const clause = algorithmFor(step, context);
  if (!clause) return compiled;
  const db = context.module.db;
  return compiled.map((s) => ({
    ...s,
    // DDL carries its values inline (no parameters), so the compiled text can take the clause
    statements: s.statements.map((q) =>
      q.parameters.length === 0 ? sql`${sql.raw(q.sql)}, ${sql.raw(clause)}`.compile(db) : q,
    ),
  }));
}

function compileMysqlStepPlain(step: SqlStep, context: CompileContext): CompiledStep[] {
  const { module, state } = context;
  const db = module.db;
  const modify = (table: string, column: string, spec: ColumnSpec) =>
    db.schema
      .alterTable(table)
      .modifyColumn(column, dataType(module, spec), defineColumn(module, spec, { check: { table, column } }))
      .compile();
  switch (step.kind) {
    case 'createTable':
    case 'dropTable':
    case 'addColumn':
    case 'dropColumn':
    case 'renameColumn':
      return compileCommonStep(step, context);
    case 'renameTable':
      return compileRenameTable(step, context);
    case 'alterColumnType': {
      const table = tableOf(state, step.table, step);
      const column = columnOfTable(table, step.column, step);
      const spec: ColumnSpec = { ...column.spec, type: step.type };
      if (step.sqlType !== undefined) spec.sqlType = step.sqlType;
      else delete spec.sqlType;
      if (sameStoredType(step, context)) {
        const values = enumValuesOf(spec);
        return [
          ddl(
            values
              ? `check ${step.table}.${step.column} in (${values.join(', ')}) (instant: the rows are validated by a later step)`
              : `drop the enum check of ${step.table}.${step.column} (instant)`,
            [modify(step.table, step.column, spec)],
            { path: pathOf(table, step.column), ...(step.lossy ? { destructive: true } : {}) },
          ),
        ];
      }
      return [
        ddl(
          `change type of ${step.table}.${step.column} to ${module.columnType(spec)} (rewrites the table)`,
          [modify(step.table, step.column, spec)],
          {
            path: pathOf(table, step.column),
            rewritesTable: true,
            ...(step.lossy ? { destructive: true } : {}),
          },
        ),
      ];
    }
    case 'setNotNull':
    case 'dropNotNull': {
      const table = tableOf(state, step.table, step);
      const column = columnOfTable(table, step.column, step);
      const nullable = step.kind === 'dropNotNull';
      return [
        ddl(
          `${nullable ? 'drop not null on' : 'set not null on'} ${step.table}.${step.column}`,
          [modify(step.table, step.column, { ...column.spec, nullable })],
          { path: pathOf(table, step.column), rewritesTable: !nullable && !table.fresh },
        ),
      ];
    }
    case 'setDefault':
    case 'dropDefault': {
      const table = tableOf(state, step.table, step);
      const column = columnOfTable(table, step.column, step);
      if (valueKind(column.spec.type) !== 'json' || step.kind === 'dropDefault')
        return compileSetDefault(step, context);
      // a json default is an expression, which ALTER COLUMN SET DEFAULT does not take everywhere
      return [
        ddl(
          `set default of ${step.table}.${step.column}`,
          [modify(step.table, step.column, { ...column.spec, default: step.value })],
          { path: pathOf(table, step.column) },
        ),
      ];
    }
    case 'createIndex': {
      const table = tableOf(state, step.table, step);
      if (table.fresh) return compileCreateIndexPlain(step, context);
      const unique = step.unique ? sql.raw('unique ') : sql.raw('');
      return [
        ddl(
          `create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table} (online)`,
          [
            sql`alter table ${sql.table(step.table)} add ${unique}index ${sql.id(step.name)} (${idList(step.columns)}), algorithm=inplace, lock=none`.compile(
              db,
            ),
          ],
          { path: table.model },
        ),
      ];
    }
    case 'dropIndex': {
      const table = tableOf(state, step.table, step);
      const statements = [];
      // InnoDB needs an index that starts with each foreign key's columns, and silently drops the one it made
      // for a key once a wider index covers it: give such a key its own index again before dropping the wider one.
      const dropped = table.indexes.find((i) => i.name === step.name);
      const covers = (columns: string[], fk: { columns: string[] }) =>
        fk.columns.every((c, i) => columns[i] === c);
      for (const fk of table.foreignKeys) {
        if (!dropped || !covers(dropped.columns, fk)) continue;
        const others = table.indexes.filter((i) => i.name !== step.name);
        if (covers(table.primaryKey, fk) || others.some((i) => covers(i.columns, fk))) continue;
        statements.push(
          sql`alter table ${sql.table(step.table)} add index ${sql.id(fk.name)} (${idList(fk.columns)}), algorithm=inplace, lock=none`.compile(
            db,
          ),
        );
      }
      statements.push(
        sql`alter table ${sql.table(step.table)} drop index ${sql.id(step.name)}, algorithm=inplace, lock=none`.compile(
          db,
        ),
      );
      return [ddl(`drop index ${step.name}`, statements, { path: table.model })];
    }
    case 'addForeignKey':
      return compileAddForeignKeyPlain(step, context);
    case 'validateForeignKey':
      return []; // InnoDB checks existing rows when the key is added
    case 'validateEnumCheck':
      return compileVerifyEnumCheck(step, context);
    case 'dropForeignKey': {
      const table = tableOf(state, step.table, step);
      const fk = table.foreignKeys.find((f) => f.name === step.name);
      const statements = [
        sql`alter table ${sql.table(step.table)} drop foreign key ${sql.id(step.name)}`.compile(db),
      ];
      // InnoDB created an index named after the key when no index started with its columns: drop it too
      const covered = (columns: string[]) => fk?.columns.every((c, i) => columns[i] === c) ?? true;
      if (fk && !covered(table.primaryKey) && !table.indexes.some((i) => covered(i.columns))) {
        statements.push(
          sql`alter table ${sql.table(step.table)} drop index ${sql.id(step.name)}`.compile(db),
        );
      }
      return [ddl(`drop foreign key ${step.name}`, statements, { path: table.model })];
    }
    case 'changePrimaryKey': {
      const table = tableOf(state, step.table, step);
      return [
        ddl(
          `change primary key of ${step.table} to (${step.columns.join(', ')})`,
          [
            sql`alter table ${sql.table(step.table)} drop primary key, add primary key (${idList(step.columns)})`.compile(
              db,
            ),
          ],
          { path: table.model, rewritesTable: !table.fresh },
        ),
      ];
    }
    case 'addIdentity':
    case 'dropIdentity': {
      // MODIFY restates the whole column; InnoDB numbers on after the largest key when AUTO_INCREMENT is added
      const table = tableOf(state, step.table, step);
      const { generated: _, ...spec } = columnOfTable(table, step.column, step).spec;
      const adding = step.kind === 'addIdentity';
      // a key 0 would be renumbered silently by the copy (0 asks AUTO_INCREMENT for a value): refused first
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
          [modify(step.table, step.column, adding ? { ...spec, generated: 'identity' } : spec)],
          { path: pathOf(table, step.column), rewritesTable: !table.fresh },
        ),
      ];
    }
    case 'backfill':
      return compileBackfill(step, context);
    case 'rawSql':
      return compileRawSql(step, context);
  }
}
