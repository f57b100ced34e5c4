import { EvolveError } from '@evolve/core';
import type { SqlStep } from '../../steps/sql-step.ts';
import type { ColumnState, SchemaState, TableState } from './table-state.ts';

/** The table a step names, or UNSUPPORTED_CHANGE naming what is missing. */
export function tableOf(state: SchemaState, name: string, step: SqlStep): TableState {
  const table = state.get(name);
  if (!table) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `step ${step.kind} names table "${name}", which does not exist at that point of the migration`,
      { path: name },
    );
  }
  return table;
}

export function columnOfTable(table: TableState, name: string, step: SqlStep): ColumnState {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `step ${step.kind} names column "${table.name}.${name}", which does not exist at that point`,
      { path: `${table.name}.${name}` },
    );
  }
  return column;
}

/** Updates the tracked schema as if `step` had run (the compiler works on its own copy). */
export function applyStep(state: SchemaState, step: SqlStep): void {
  switch (step.kind) {
    case 'createTable':
      state.set(step.table, {
        name: step.table,
        model: step.model,
        columns: Object.entries(step.columns).map(([name, spec]) => ({ name, spec })),
        primaryKey: [...step.primaryKey],
        indexes: [],
        foreignKeys: [],
        reads: {},
        fresh: true,
      });
      return;
    case 'dropTable':
      state.delete(step.table);
      return;
    case 'renameTable': {
      const table = tableOf(state, step.table, step);
      state.delete(step.table);
      table.name = step.to;
      state.set(step.to, table);
      for (const other of state.values()) {
        for (const fk of other.foreignKeys) {
          if (fk.references.table === step.table) fk.references.table = step.to;
        }
      }
      return;
    }
    case 'addColumn':
      tableOf(state, step.table, step).columns.push({ name: step.column, spec: { ...step.spec } });
      return;
    case 'dropColumn': {
      const table = tableOf(state, step.table, step);
      table.columns = table.columns.filter((c) => c.name !== step.column);
      // the database drops indexes and keys on a dropped column with it
      table.indexes = table.indexes.filter((i) => !i.columns.includes(step.column));
      table.foreignKeys = table.foreignKeys.filter((f) => !f.columns.includes(step.column));
      for (const [field, column] of Object.entries(table.reads)) {
        if (column === step.column) delete table.reads[field];
      }
      return;
    }
    case 'renameColumn': {
      const table = tableOf(state, step.table, step);
      const rename = (c: string) => (c === step.column ? step.to : c);
      columnOfTable(table, step.column, step).name = step.to;
      table.primaryKey = table.primaryKey.map(rename);
      for (const index of table.indexes) index.columns = index.columns.map(rename);
      for (const fk of table.foreignKeys) fk.columns = fk.columns.map(rename);
      for (const other of state.values()) {
        for (const fk of other.foreignKeys) {
          if (fk.references.table === table.name) fk.references.columns = fk.references.columns.map(rename);
        }
      }
      for (const [field, column] of Object.entries(table.reads)) table.reads[field] = rename(column);
      return;
    }
    case 'alterColumnType': {
      const column = columnOfTable(tableOf(state, step.table, step), step.column, step);
      column.spec = { ...column.spec, type: step.type };
      if (step.sqlType !== undefined) column.spec.sqlType = step.sqlType;
      else delete column.spec.sqlType;
      return;
    }
    case 'setNotNull':
    case 'dropNotNull': {
      const column = columnOfTable(tableOf(state, step.table, step), step.column, step);
      column.spec = { ...column.spec, nullable: step.kind === 'dropNotNull' };
      return;
    }
    case 'setDefault':
    case 'dropDefault': {
      const column = columnOfTable(tableOf(state, step.table, step), step.column, step);
      const { default: _, ...rest } = column.spec;
      column.spec = step.kind === 'setDefault' ? { ...rest, default: step.value } : rest;
      return;
    }
    case 'createIndex':
      tableOf(state, step.table, step).indexes.push({
        name: step.name,
        columns: [...step.columns],
        unique: step.unique,
      });
      return;
    case 'dropIndex': {
      const table = tableOf(state, step.table, step);
      table.indexes = table.indexes.filter((i) => i.name !== step.name);
      return;
    }
    case 'addForeignKey':
      tableOf(state, step.table, step).foreignKeys.push({
        name: step.name,
        columns: [...step.columns],
        references: { table: step.references.table, columns: [...step.references.columns] },
        onDelete: step.onDelete,
      });
      return;
    case 'dropForeignKey': {
      const table = tableOf(state, step.table, step);
      table.foreignKeys = table.foreignKeys.filter((f) => f.name !== step.name);
      return;
    }
    case 'changePrimaryKey':
      tableOf(state, step.table, step).primaryKey = [...step.columns];
      return;
    case 'addIdentity':
    case 'dropIdentity': {
      const column = columnOfTable(tableOf(state, step.table, step), step.column, step);
      const { generated: _, ...rest } = column.spec;
      column.spec = step.kind === 'addIdentity' ? { ...rest, generated: 'identity' } : rest;
      return;
    }
    case 'validateForeignKey':
    case 'validateEnumCheck':
    case 'backfill':
    case 'rawSql':
      return;
  }
}
