import {
  type Change,
  EvolveError,
  type FieldSnapshot,
  type ModelSnapshot,
  type Snapshot,
} from '@evolve/core';

/** Models by name, as the planner tracks them while it walks a change set (top-level fields only). */
export type ModelState = Map<string, ModelSnapshot>;

export function modelStateOf(snapshot: Snapshot): ModelState {
  return new Map(Object.values(snapshot.models).map((m) => [m.name, structuredClone(m) as ModelSnapshot]));
}

export function modelOf(state: ModelState, name: string, change: Change): ModelSnapshot {
  const model = state.get(name);
  if (!model) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `change ${change.kind} names model ${name}, unknown at that point (is \`before\` the snapshot the change set starts from?)`,
      {
        path: name,
      },
    );
  }
  return model;
}

export function fieldOf(model: ModelSnapshot, name: string, change: Change): FieldSnapshot {
  const field = model.fields[name];
  if (!field) {
    throw new EvolveError(
      'INVALID_CHANGESET',
      `change ${change.kind} names field ${model.name}.${name}, unknown at that point`,
      { path: `${model.name}.${name}` },
    );
  }
  return field;
}

/**
 * Applies one change to the tracked models. Nested changes (paths longer than one) live inside JSON
 * columns and leave the table's shape alone, so only their top-level field is kept as is.
 */
export function applyChange(state: ModelState, change: Change): void {
  if (change.kind === 'createModel') {
    state.set(change.model, structuredClone(change.definition) as ModelSnapshot);
    return;
  }
  if (change.kind === 'dropModel') {
    state.delete(change.model);
    return;
  }
  if (change.kind === 'renameModel') {
    const model = modelOf(state, change.from, change);
    state.delete(change.from);
    state.set(change.model, { ...model, name: change.model });
    for (const other of state.values()) {
      for (const fk of other.foreignKeys)
        if (fk.references.model === change.from) fk.references.model = change.model;
    }
    return;
  }
  const model = modelOf(state, change.model, change);
  const [top] = change.path;
  const topLevel = change.path.length === 1 && top !== undefined;
  switch (change.kind) {
    case 'renameTable':
      model.table = change.to;
      return;
    case 'changePrimaryKey':
      model.primaryKey = [...change.to];
      return;
    case 'addIndex':
      model.indexes = [...model.indexes, change.index];
      return;
    case 'dropIndex':
      model.indexes = model.indexes.filter((i) => i.name !== change.index.name);
      return;
    case 'addForeignKey':
      model.foreignKeys = [...model.foreignKeys, change.foreignKey];
      return;
    case 'dropForeignKey':
      model.foreignKeys = model.foreignKeys.filter((f) => f.name !== change.foreignKey.name);
      return;
    case 'renameField': {
      if (change.from.length === 1) delete model.fields[change.from[0] as string];
      if (topLevel) model.fields[top] = structuredClone(change.field);
      return;
    }
    default:
      break;
  }
  if (!topLevel) return;
  switch (change.kind) {
    case 'addField':
      model.fields[top] = structuredClone(change.field);
      return;
    case 'dropField':
      delete model.fields[top];
      return;
    case 'changeType':
      fieldOf(model, top, change).type = structuredClone(change.to);
      return;
    case 'changeNullable':
      fieldOf(model, top, change).nullable = change.to;
      return;
    case 'changeOptional':
      fieldOf(model, top, change).optional = change.to;
      return;
    case 'changeDefault': {
      const field = fieldOf(model, top, change);
      if (change.to === undefined) delete field.default;
      else field.default = structuredClone(change.to);
      return;
    }
    case 'changeColumn': {
      const field = fieldOf(model, top, change);
      if (change.to.column === undefined) delete field.column;
      else field.column = change.to.column;
      if (change.to.sqlType === undefined) delete field.sqlType;
      else field.sqlType = change.to.sqlType;
      return;
    }
    case 'addEnumValues':
    case 'removeEnumValues': {
      const field = fieldOf(model, top, change);
      if (field.type.kind === 'enum') field.type = { kind: 'enum', values: [...change.after] };
      return;
    }
  }
}
