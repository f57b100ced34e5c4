import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { tableOf } from '../shared/apply-step.ts';
import {
  compileAddColumn,
  compileBackfill,
  compileCreateTable,
  compileDropColumn,
  compileDropTable,
  compileRawSql,
  compileRenameColumn,
  compileRenameTable,
  ddl,
} from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-module.ts';
import { rebuildTable } from './rebuild-table.ts';

/** SQLite: ALTER for what it can express (add, rename, simple drops), the table rebuild for the rest. */
export function compileSqliteStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  const { module, state } = context;
  const db = module.db;
  switch (step.kind) {
    case 'createTable':
      return compileCreateTable(step, context);
    case 'dropTable':
      return compileDropTable(step, context);
    case 'renameTable':
      return compileRenameTable(step, context);
    case 'addColumn':
      return compileAddColumn(step, context);
    case 'dropColumn': {
      // DROP COLUMN refuses key, indexed and foreign-key columns
      const table = tableOf(state, step.table, step);
      const constrained =
        table.primaryKey.includes(step.column) ||
        table.indexes.some((i) => i.columns.includes(step.column)) ||
        table.foreignKeys.some((f) => f.columns.includes(step.column));
      return constrained ? rebuildTable(step, context, `drop column ${step.column}`) : compileDropColumn(step, context);
    }
    case 'renameColumn':
      return compileRenameColumn(step, context);
    case 'alterColumnType':
      return rebuildTable(step, context, `change the type of ${step.column} to ${module.columnType(step)}`);
    case 'setNotNull':
      return rebuildTable(step, context, `set ${step.column} not null`);
    case 'dropNotNull':
      return rebuildTable(step, context, `drop not null on ${step.column}`);
    case 'setDefault':
      return rebuildTable(step, context, `set the default of ${step.column}`);
    case 'dropDefault':
      return rebuildTable(step, context, `drop the default of ${step.column}`);
    case 'createIndex': {
      const table = tableOf(state, step.table, step);
      let builder = db.schema.createIndex(step.name).ifNotExists().on(step.table).columns(step.columns);
      if (step.unique) builder = builder.unique();
      return [ddl(`create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table}`, [builder.compile()], { path: table.model })];
    }
    case 'dropIndex': {
      const table = tableOf(state, step.table, step);
      return [ddl(`drop index ${step.name}`, [db.schema.dropIndex(step.name).ifExists().compile()], { path: table.model })];
    }
    case 'addForeignKey':
      return rebuildTable(step, context, `add foreign key ${step.name}`);
    case 'validateForeignKey':
      return []; // the rebuild that added the key ran foreign_key_check
    case 'dropForeignKey':
      return rebuildTable(step, context, `drop foreign key ${step.name}`);
    case 'changePrimaryKey':
      return rebuildTable(step, context, `change the primary key to (${step.columns.join(', ')})`);
    case 'backfill':
      return compileBackfill(step, context);
    case 'rawSql':
      return compileRawSql(step, context);
  }
  return [ddl('unreachable', [sql`select 1`.compile(db)])];
}
