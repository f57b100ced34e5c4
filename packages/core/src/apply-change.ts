import type { Change, FieldPath } from './change-types.ts';
import { cloneData, deepEqual } from './deep-equal.ts';
import { EvolveError } from './errors.ts';
import { fieldOrderOf, listsEachField, setFieldOrder, withoutFieldOrder } from './field-order.ts';
import { ELEMENT, type FieldRecord, nodeAt, parentRecord, pathText } from './field-tree.ts';
import type { FieldSnapshot, ModelSnapshot } from './snapshot-types.ts';

/** Models by name, editable in place: the working state of `applyChanges` and `diff`. */
export type WorkingModels = Record<string, ModelSnapshot>;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function misfit(change: Change, why: string): never {
  const at = pathText(change.path, change.model);
  throw new EvolveError('INVALID_CHANGESET', `${change.kind} at ${at} does not fit: ${why}`, { path: at });
}

function modelOf(models: WorkingModels, change: Change): ModelSnapshot {
  const model = Object.hasOwn(models, change.model) ? models[change.model] : undefined;
  if (!model) misfit(change, `there is no model ${change.model}`);
  return model;
}

function nodeOf(root: FieldRecord, path: FieldPath, change: Change): FieldSnapshot {
  const node = nodeAt(root, path);
  if (!node) misfit(change, `there is no field ${pathText(path)}`);
  return node;
}

function expectEqual(actual: unknown, expected: unknown, change: Change, what: string): void {
  if (!deepEqual(actual, expected)) misfit(change, `${what} is not what the change expects`);
}

function insertField(root: FieldRecord, path: FieldPath, field: FieldSnapshot, change: Change): void {
  const parent = parentRecord(root, path);
  if (!parent) misfit(change, `${pathText(path.slice(0, -1)) || 'the model'} is not an object`);
  const name = path[path.length - 1] as string;
  if (Object.hasOwn(parent, name)) misfit(change, `field ${pathText(path)} already exists`);
  parent[name] = cloneData(field);
}

function removeField(root: FieldRecord, path: FieldPath, expected: FieldSnapshot, change: Change): void {
  const parent = parentRecord(root, path);
  const name = path[path.length - 1] as string;
  if (!parent || !Object.hasOwn(parent, name)) misfit(change, `there is no field ${pathText(path)}`);
  expectEqual(parent[name], expected, change, `field ${pathText(path)}`);
  delete parent[name];
}

function setMember<K extends 'default' | 'column' | 'sqlType' | 'generated'>(
  node: FieldSnapshot,
  key: K,
  value: FieldSnapshot[K],
): void {
  if (value === undefined) delete node[key];
  else node[key] = cloneData(value);
}

/**
 * Keeps the column order through a change of top-level fields: an added (or hoisted) field is appended, as
 * ADD COLUMN appends it; a dropped (or plunged) one leaves; a renamed one keeps its place.
 */
function reorder(model: ModelSnapshot, change: Change, edit: () => void): void {
  const order = fieldOrderOf(model);
  edit();
  const from = change.kind === 'renameField' ? change.from : change.kind === 'dropField' ? change.path : [];
  const to = change.kind === 'renameField' || change.kind === 'addField' ? change.path : [];
  // the top-level field that leaves the table and the one that arrives, if any
  const left = from.length === 1 ? from[0] : undefined;
  const came = to.length === 1 ? to[0] : undefined;
  let next = order;
  if (left !== undefined && came !== undefined) next = order.map((f) => (f === left ? came : f));
  else {
    if (left !== undefined) next = next.filter((f) => f !== left);
    if (came !== undefined) next = [...next, came];
  }
  setFieldOrder(model, next);
}

function applyFieldChange(model: ModelSnapshot, change: Change): void {
  const root = model.fields;
  switch (change.kind) {
    case 'addField':
      reorder(model, change, () => insertField(root, change.path, change.field, change));
      return;
    case 'dropField':
      reorder(model, change, () => removeField(root, change.path, change.previous, change));
      return;
    case 'renameField': {
      if (change.path.at(-1) === ELEMENT || change.from.at(-1) === ELEMENT) {
        misfit(change, 'an array element cannot be renamed');
      }
      reorder(model, change, () => {
        removeField(root, change.from, change.field, change);
        insertField(root, change.path, change.field, change);
        if (change.from.length === 1 && change.path.length === 1) {
          // the primary key follows a renamed column, as it does in the database
          model.primaryKey = model.primaryKey.map((f) =>
            f === change.from[0] ? (change.path[0] as string) : f,
          );
        }
      });
      return;
    }
    case 'changeType': {
      const node = nodeOf(root, change.path, change);
      expectEqual(node.type, change.from, change, 'the current type');
      node.type = cloneData(change.to);
      return;
    }
    case 'changeNullable':
    case 'changeOptional': {
      const node = nodeOf(root, change.path, change);
      const key = change.kind === 'changeNullable' ? 'nullable' : 'optional';
      if (node[key] !== change.from) misfit(change, `${key} is ${node[key]}`);
      node[key] = change.to;
      return;
    }
    case 'changeDefault': {
      const node = nodeOf(root, change.path, change);
      expectEqual(node.default, change.from, change, 'the current default');
      setMember(node, 'default', change.to);
      return;
    }
    case 'changeColumn': {
      const node = nodeOf(root, change.path, change);
      expectEqual({ column: node.column, sqlType: node.sqlType }, change.from, change, 'the column');
      setMember(node, 'column', change.to.column);
      setMember(node, 'sqlType', change.to.sqlType);
      return;
    }
    case 'changeGenerated': {
      const node = nodeOf(root, change.path, change);
      if (node.generated !== change.from) misfit(change, `generated is ${node.generated ?? 'absent'}`);
      setMember(node, 'generated', change.to);
      return;
    }
    case 'addEnumValues':
    case 'removeEnumValues': {
      const node = nodeOf(root, change.path, change);
      if (node.type.kind !== 'enum') misfit(change, 'the field is not an enum');
      expectEqual(node.type.values, change.before, change, 'the enum values');
      node.type.values = [...change.after];
      return;
    }
    default:
      misfit(change, 'not a field change');
  }
}

/**
 * Applies one change to the working models in place, after checking that it fits the current state
 * (what it removes or changes must be exactly what it says it was). Throws `INVALID_CHANGESET`. The one
 * rule for what a change does to a schema: `applyChanges`, `diff` and the SQL planner all walk with it.
 *
 * @example
 * const models: WorkingModels = structuredClone(prev.models);
 * for (const change of diff(prev, next).changes) applyChange(models, change);
 */
export function applyChange(models: WorkingModels, change: Change): void {
  switch (change.kind) {
    case 'createModel': {
      if (Object.hasOwn(models, change.model)) misfit(change, `model ${change.model} already exists`);
      if (change.definition.name !== change.model) misfit(change, 'the definition has another name');
      const order = change.definition.fieldOrder;
      if (order && !listsEachField(order, change.definition.fields)) {
        misfit(change, 'its fieldOrder does not list each field once');
      }
      models[change.model] = cloneData(change.definition);
      return;
    }
    case 'dropModel': {
      // the column order is not compared: a reordered declaration leaves the table as it was
      expectEqual(
        withoutFieldOrder(modelOf(models, change)),
        withoutFieldOrder(change.previous),
        change,
        'the model',
      );
      delete models[change.model];
      return;
    }
    case 'renameModel': {
      const model = Object.hasOwn(models, change.from) ? models[change.from] : undefined;
      if (!model) misfit(change, `there is no model ${change.from}`);
      if (Object.hasOwn(models, change.model)) misfit(change, `model ${change.model} already exists`);
      delete models[change.from];
      model.name = change.model;
      models[change.model] = model;
      // foreign keys follow the model they reference
      for (const other of Object.values(models)) {
        for (const fk of other.foreignKeys) {
          if (fk.references.model === change.from) fk.references.model = change.model;
        }
      }
      return;
    }
    case 'renameTable': {
      const model = modelOf(models, change);
      if (model.table !== change.from) misfit(change, `the table is ${model.table}`);
      model.table = change.to;
      return;
    }
    case 'changePrimaryKey': {
      const model = modelOf(models, change);
      expectEqual(model.primaryKey, change.from, change, 'the primary key');
      const order = fieldOrderOf(model); // the columns stay where they are
      model.primaryKey = [...change.to];
      setFieldOrder(model, order);
      return;
    }
    case 'addIndex':
    case 'addForeignKey': {
      const model = modelOf(models, change);
      const list: { name: string }[] = change.kind === 'addIndex' ? model.indexes : model.foreignKeys;
      const item = change.kind === 'addIndex' ? change.index : change.foreignKey;
      if (list.some((x) => x.name === item.name)) misfit(change, `${item.name} already exists`);
      list.push(cloneData(item));
      list.sort(byName);
      return;
    }
    case 'dropIndex':
    case 'dropForeignKey': {
      const model = modelOf(models, change);
      const list: { name: string }[] = change.kind === 'dropIndex' ? model.indexes : model.foreignKeys;
      const item = change.kind === 'dropIndex' ? change.index : change.foreignKey;
      const at = list.findIndex((x) => x.name === item.name);
      if (at < 0) misfit(change, `there is no ${item.name}`);
      expectEqual(list[at], item, change, item.name);
      list.splice(at, 1);
      return;
    }
    default:
      applyFieldChange(modelOf(models, change), change);
  }
}
