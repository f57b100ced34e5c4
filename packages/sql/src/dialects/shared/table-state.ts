import {
  columnOf,
  EvolveError,
  type FieldSnapshot,
  fieldOrderOf,
  type ModelSnapshot,
  type Snapshot,
} from '@evolve/core';
import type { ColumnSpec, ForeignKeySpec } from '../../steps/sql-step.ts';

export interface ColumnState {
  name: string;
  spec: ColumnSpec;
  /** The model field stored in this column, when known (for step paths such as `User.email`). */
  field?: string;
}

export interface IndexState {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface ForeignKeyState extends ForeignKeySpec {
  name: string;
}

/** A table as the compiler tracks it while it walks a migration's steps. */
export interface TableState {
  name: string;
  model: string;
  columns: ColumnState[];
  primaryKey: string[];
  indexes: IndexState[];
  foreignKeys: ForeignKeyState[];
  /** Fields of the model before the migration -> the column holding them now (for backfill reads). */
  reads: Record<string, string>;
  /** Created by this migration (still empty): safe forms such as CONCURRENTLY or NOT VALID are not needed. */
  fresh: boolean;
}

/** Tables by name. */
export type SchemaState = Map<string, TableState>;

/** The column spec a field maps to: optional fields are nullable columns; only constants become defaults. */
export function columnSpecOf(field: FieldSnapshot): ColumnSpec {
  const spec: ColumnSpec = { type: field.type, nullable: field.nullable || field.optional };
  if (field.default && 'value' in field.default && field.default.value !== null) {
    spec.default = field.default.value;
  }
  if (field.sqlType !== undefined) spec.sqlType = field.sqlType;
  if (field.generated !== undefined) spec.generated = field.generated;
  return spec;
}

/** The columns of a model in the order its table has them (`fieldOrderOf`). */
export function columnsOf(model: ModelSnapshot): ColumnState[] {
  return fieldOrderOf(model).map((name) => {
    const field = model.fields[name] as FieldSnapshot;
    return { name: columnOf(name, field), spec: columnSpecOf(field), field: name };
  });
}

/** Maps field names of a model to their columns (throws on an unknown field). */
export function fieldColumns(model: ModelSnapshot, fields: readonly string[], path: string): string[] {
  return fields.map((f) => {
    const field = model.fields[f];
    if (!field) {
      throw new EvolveError('INVALID_SNAPSHOT', `model ${model.name} has no field "${f}"`, { path });
    }
    return columnOf(f, field);
  });
}

/** The table a model is stored in, as the compiler would create it from scratch. */
export function tableStateOf(model: ModelSnapshot, snapshot: Snapshot): TableState {
  const columns = columnsOf(model);
  return {
    name: model.table,
    model: model.name,
    columns,
    primaryKey: fieldColumns(model, model.primaryKey, `${model.name}.primaryKey`),
    indexes: model.indexes.map((index) => ({
      name: index.name,
      columns: fieldColumns(model, index.fields, `${model.name}.indexes`),
      unique: index.unique,
    })),
    foreignKeys: model.foreignKeys.map((fk) => {
      const target = snapshot.models[fk.references.model];
      if (!target) {
        throw new EvolveError(
          'INVALID_SNAPSHOT',
          `foreign key ${fk.name} references a missing model ${fk.references.model}`,
          { path: `${model.name}.foreignKeys` },
        );
      }
      return {
        name: fk.name,
        columns: fieldColumns(model, fk.fields, `${model.name}.foreignKeys`),
        references: {
          table: target.table,
          columns: fieldColumns(target, fk.references.fields, `${target.name}.primaryKey`),
        },
        onDelete: fk.onDelete,
      };
    }),
    reads: Object.fromEntries(columns.flatMap((c) => (c.field ? [[c.field, c.name]] : []))),
    fresh: false,
  };
}

/** The tables of a snapshot's SQL models (document models are not tables evolve manages). */
export function schemaStateOf(snapshot: Snapshot): SchemaState {
  const state: SchemaState = new Map();
  for (const model of Object.values(snapshot.models)) {
    if (model.target !== 'sql') continue;
    state.set(model.table, tableStateOf(model, snapshot));
  }
  return state;
}

/** A deep copy the compiler may update while walking steps. */
export function cloneTable(table: TableState): TableState {
  return structuredClone(table);
}
