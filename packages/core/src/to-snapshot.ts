import { canonicalJson, deepFreeze, sha256 } from './canonical-json.ts';
import type { Model } from './define-model.ts';
import type { Schema } from './define-schema.ts';
import { CASE_INSENSITIVE_COLUMNS } from './dialects/engine-facts.ts';
import { EvolveError } from './errors.ts';
import { setFieldOrder } from './field-order.ts';
import { fitIdentifier } from './identifiers.ts';
import { hashedContent } from './model-fingerprint.ts';
import { collectHints, readField } from './read-field.ts';
import { setOwn } from './set-own.ts';
import {
  type FieldSnapshot,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type ModelSnapshot,
  type RenameHints,
  SNAPSHOT_FORMAT,
  type Snapshot,
} from './snapshot-types.ts';

/** The column name a field is stored under. */
export const columnOf = (name: string, field: FieldSnapshot): string => field.column ?? name;

/** The default name of an index: `table_fields_idx` (`_key` when unique), hash-shortened when too long. */
export function indexName(table: string, fields: readonly string[], unique: boolean): string {
  return fitIdentifier(`${table}_${fields.join('_')}_${unique ? 'key' : 'idx'}`);
}

/** The default name of a foreign key: `table_fields_fkey`, hash-shortened when too long. */
export function foreignKeyName(table: string, fields: readonly string[]): string {
  return fitIdentifier(`${table}_${fields.join('_')}_fkey`);
}

/** String formats whose values always fit in 255 characters (an email address has at most 254). */
const SHORT_FORMATS = new Set(['uuid', 'email', 'datetime']);

/**
 * A column holding a string without `.max()` (nor an `sqlType`) is marked `unbounded`: it holds any length
 * on every engine. Only columns: strings inside JSON columns and documents have no SQL type to choose.
 */
function unboundedColumn(field: FieldSnapshot): FieldSnapshot {
  const type = field.type;
  if (type.kind !== 'string' || type.maxLength !== undefined) return field;
  if (type.format !== undefined && SHORT_FORMATS.has(type.format)) return field;
  if (field.sqlType !== undefined) return field;
  return { ...field, type: { ...type, unbounded: true } };
}

function modelSnapshot(model: Model): { snapshot: ModelSnapshot; hints: RenameHints } {
  const fields: Record<string, FieldSnapshot> = {};
  const hints: RenameHints = { models: {}, fields: {} };
  const indexes = new Map<string, IndexSnapshot>();
  const addIndex = (index: IndexSnapshot, path: string) => {
    const existing = indexes.get(index.name);
    if (existing && canonicalJson(existing) !== canonicalJson(index)) {
      throw new EvolveError('INVALID_MODEL', `two different indexes are named ${index.name}`, { path });
    }
    indexes.set(index.name, index);
  };
  for (const name of Object.keys(model.shape)) {
    const path = `${model.name}.${name}`;
    const { field, meta } = readField(model.shape[name] as never, path);
    setOwn(fields, name, model.target === 'sql' ? unboundedColumn(field) : field);
    if (meta.unique)
      addIndex({ name: indexName(model.table, [name], true), fields: [name], unique: true }, path);
    for (const [to, from] of collectHints(model.shape[name] as never, [name])) {
      hints.fields[`${model.name}.${to.join('.')}`] = from.join('.');
    }
  }
  const columns = new Map<string, string>();
  for (const [name, field] of Object.entries(fields)) {
    const column = columnOf(name, field);
    // Some engines compare column names case-insensitively: `Name` beside `name` is one column there.
    const key = model.target === 'sql' ? column.toLowerCase() : column;
    const clash = columns.get(key);
    if (clash !== undefined) {
      const other = columnOf(clash, fields[clash] as FieldSnapshot);
      throw new EvolveError(
        'INVALID_MODEL',
        other === column
          ? `fields ${clash} and ${name} both use column "${column}"`
          : `fields ${clash} and ${name} of sql model ${model.name} use columns "${other}" and "${column}", which differ only by case: ${CASE_INSENSITIVE_COLUMNS} take them for one column`,
        { path: `${model.name}.${name}`, details: { fields: [clash, name], columns: [other, column] } },
      );
    }
    columns.set(key, name);
  }
  model.indexes.forEach((index, i) => {
    const unique = index.unique ?? false;
    addIndex(
      { name: index.name ?? indexName(model.table, index.fields, unique), fields: [...index.fields], unique },
      `${model.name}.indexes[${i}]`,
    );
  });
  const foreignKeys: ForeignKeySnapshot[] = model.foreignKeys.map((fk) => ({
    name: fk.name ?? foreignKeyName(model.table, fk.fields),
    fields: [...fk.fields],
    references: { model: fk.references.model, fields: [...fk.references.fields] },
    onDelete: fk.onDelete ?? 'no action',
  }));
  if (new Set(foreignKeys.map((f) => f.name)).size !== foreignKeys.length) {
    throw new EvolveError('INVALID_MODEL', `model ${model.name} has two foreign keys with the same name`, {
      path: `${model.name}.foreignKeys`,
    });
  }
  if (model.renamedFrom) hints.models[model.name] = model.renamedFrom;
  const snapshot: ModelSnapshot = {
    name: model.name,
    target: model.target,
    table: model.table,
    primaryKey: [...model.primaryKey],
    fields,
    indexes: [...indexes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: foreignKeys.sort((a, b) => a.name.localeCompare(b.name)),
  };
  // columns are created in declaration order (the shape's key order)
  setFieldOrder(snapshot, Object.keys(model.shape));
  return { snapshot, hints };
}

/**
 * Computes the content hash of a snapshot's models. The field order is left out: declaring the same fields in
 * another order is no schema change, and snapshots written before the order was kept keep their hash.
 */
export function snapshotHash(models: Record<string, ModelSnapshot>): string {
  return sha256(hashedContent(models));
}

/** Builds a frozen snapshot from models (sorting keys) and stamps its hash. */
/** Snapshots this module made (frozen, so their hash still holds): trusted by `assertSnapshot` at no cost. */
const made = new WeakSet<object>();

/** Whether `value` is a snapshot evolve made (and froze) in this process. */
export function isMadeSnapshot(value: unknown): boolean {
  return typeof value === 'object' && value !== null && made.has(value);
}

export function makeSnapshot(models: Record<string, ModelSnapshot>, hints?: RenameHints): Snapshot {
  const sorted: Record<string, ModelSnapshot> = JSON.parse(canonicalJson(models));
  // each model's canonical text is kept as its fingerprint (for diff): the snapshot is frozen below
  const hash = sha256(hashedContent(sorted, true));
  const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, models: sorted, hash };
  if (hints && (Object.keys(hints.models).length > 0 || Object.keys(hints.fields).length > 0)) {
    Object.defineProperty(snapshot, 'hints', { value: deepFreeze(hints), enumerable: false });
  }
  made.add(snapshot);
  return deepFreeze(snapshot);
}

/**
 * The snapshot of a schema with no models: where every history starts.
 *
 * @example
 * const first = diff(emptySnapshot(), toSnapshot(schema)); // createModel for every model
 */
export function emptySnapshot(): Snapshot {
  return makeSnapshot({});
}

/**
 * The canonical, versioned JSON description of every model in a schema, with a content hash.
 * Equal schemas give byte-equal snapshots whatever the key order in the source.
 * Rename hints (`renamedFrom`) ride along in the non-enumerable `hints`, outside the hash.
 *
 * @example
 * const snap = toSnapshot(defineSchema([User]));
 * snap.hash; // 'e3b0…'
 */
export function toSnapshot(schema: Schema): Snapshot {
  if (
    typeof schema !== 'object' ||
    schema === null ||
    typeof schema.models !== 'object' ||
    schema.models === null
  ) {
    throw new EvolveError('INVALID_SCHEMA', 'schema is not a schema: pass what defineSchema returns', {
      path: 'schema',
    });
  }
  const models: Record<string, ModelSnapshot> = {};
  const hints: RenameHints = { models: {}, fields: {} };
  for (const name of Object.keys(schema.models).sort()) {
    const { snapshot, hints: h } = modelSnapshot(schema.models[name] as Model);
    setOwn(models, name, snapshot);
    Object.assign(hints.models, h.models);
    Object.assign(hints.fields, h.fields);
  }
  return makeSnapshot(models, hints);
}

/** The snapshot as file text: canonical JSON, two-space indented, with the hash. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${canonicalJson({ format: snapshot.format, hash: snapshot.hash, models: snapshot.models }, 2)}\n`;
}
