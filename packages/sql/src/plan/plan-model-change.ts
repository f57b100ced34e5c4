import {
  type Change,
  columnOf,
  EvolveError,
  type FieldSnapshot,
  fieldOrderOf,
  type ModelSnapshot,
} from '@evolve/core';
import { columnSpecOf, fieldColumns } from '../dialects/shared/table-state.ts';
import type { SqlStep } from '../steps/sql-step.ts';
import {
  addForeignKey,
  changePrimaryKey,
  createIndex,
  createTable,
  dropForeignKey,
  dropIndex,
  dropTable,
  renameTable,
  validateForeignKey,
} from '../steps/step-constructors.ts';
import { type ModelState, modelOf } from './model-state.ts';

/** The steps of a model-level change (tables, keys, indexes, foreign keys); `created` collects new models. */
export function planModelChange(
  change: Change,
  before: ModelSnapshot,
  state: ModelState,
  created: Set<string>,
): SqlStep[] {
  switch (change.kind) {
    case 'createModel': {
      const definition = change.definition;
      created.add(definition.name);
      const columns = Object.fromEntries(
        fieldOrderOf(definition).map((f) => {
          const field = definition.fields[f] as FieldSnapshot;
          return [columnOf(f, field), columnSpecOf(field)];
        }),
      );
      return [
        createTable(definition.table, {
          model: definition.name,
          columns,
          primaryKey: fieldColumns(definition, definition.primaryKey, `${definition.name}.primaryKey`),
        }),
      ];
    }
    case 'dropModel':
      return [dropTable(change.previous.table)];
    case 'renameModel':
      return [];
    case 'renameTable':
      return [renameTable(change.from, change.to)];
    case 'changePrimaryKey': {
      const after = modelOf(state, change.model, change);
      return [changePrimaryKey(after.table, fieldColumns(after, change.to, `${change.model}.primaryKey`))];
    }
    case 'addIndex': {
      const after = modelOf(state, change.model, change);
      return [
        createIndex(after.table, change.index.name, {
          columns: fieldColumns(after, change.index.fields, `${change.model}.indexes`),
          unique: change.index.unique,
        }),
      ];
    }
    case 'dropIndex':
      return [dropIndex(before.table, change.index.name)];
    case 'addForeignKey': {
      const after = modelOf(state, change.model, change);
      const fk = change.foreignKey;
      const target = modelOf(state, fk.references.model, change);
      const steps: SqlStep[] = [
        addForeignKey(after.table, fk.name, {
          columns: fieldColumns(after, fk.fields, `${change.model}.foreignKeys`),
          references: {
            table: target.table,
            columns: fieldColumns(target, fk.references.fields, `${target.name}.primaryKey`),
          },
          onDelete: fk.onDelete,
        }),
      ];
      if (!created.has(change.model)) steps.push(validateForeignKey(after.table, fk.name));
      return steps;
    }
    case 'dropForeignKey':
      return [dropForeignKey(before.table, change.foreignKey.name)];
    default:
      throw new EvolveError('UNSUPPORTED_CHANGE', `the SQL planner cannot express a ${change.kind} change`, {
        path: change.model,
      });
  }
}
