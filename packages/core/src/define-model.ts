import { z } from 'zod';
import { checkGeneratedKey } from './check-generated-key.ts';
import { EvolveError } from './errors.ts';
import { assertIdentifier } from './identifiers.ts';
import { checkFieldDefinition, type FieldMeta } from './read-field.ts';
import type { OnDeleteAction } from './snapshot-types.ts';

export interface IndexDefinition {
  fields: string[];
  unique?: boolean;
  name?: string;
}

export interface ForeignKeyDefinition {
  fields: string[];
  references: { model: string; fields: string[] };
  onDelete?: OnDeleteAction;
  name?: string;
}

export interface ModelOptions<Shape extends z.ZodRawShape> {
  shape: Shape;
  /** `sql` (a table) or `document` (a collection or JSON documents). Default `sql`. */
  target?: 'sql' | 'document';
  /** Table or collection name. Default: the model name. */
  table?: string;
  /** Default `id` for sql models, `_id` for document models. */
  primaryKey?: string | string[];
  indexes?: IndexDefinition[];
  foreignKeys?: ForeignKeyDefinition[];
  /** The model's previous name (a rename hint for `diff`). */
  renamedFrom?: string;
}

/** A validated model definition. `schema` is the zod object for the model's rows/documents. */
export interface Model<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly target: 'sql' | 'document';
  readonly table: string;
  readonly primaryKey: readonly string[];
  readonly shape: Shape;
  readonly schema: z.ZodObject<Shape>;
  readonly indexes: readonly IndexDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly renamedFrom?: string;
}

const ON_DELETE: readonly OnDeleteAction[] = ['cascade', 'restrict', 'set null', 'no action'];

/**
 * Defines a model: a name, a zod shape, and where and how it is stored.
 * Invalid definitions throw an EvolveError with code `INVALID_MODEL` and the path at fault.
 *
 * @example
 * const User = defineModel('User', {
 *   shape: { id: z.uuid(), email: z.email().max(200), name: z.string().meta({ renamedFrom: 'fullName' }) },
 *   indexes: [{ fields: ['email'], unique: true }],
 * });
 */
export function defineModel<Shape extends z.ZodRawShape>(
  name: string,
  options: ModelOptions<Shape>,
): Model<Shape> {
  assertIdentifier(name, 'model name', name);
  if (!options || typeof options !== 'object' || !options.shape || typeof options.shape !== 'object') {
    throw new EvolveError('INVALID_MODEL', `model ${name} needs a shape (an object of zod fields)`, {
      path: name,
    });
  }
  const target = options.target ?? 'sql';
  if (target !== 'sql' && target !== 'document') {
    throw new EvolveError('INVALID_MODEL', `model ${name}: target must be 'sql' or 'document'`, {
      path: `${name}.target`,
    });
  }
  const table = options.table ?? name;
  assertIdentifier(table, 'table name', `${name}.table`);
  if (options.renamedFrom !== undefined)
    assertIdentifier(options.renamedFrom, 'renamedFrom', `${name}.renamedFrom`);
  const fieldNames = Object.keys(options.shape);
  if (fieldNames.length === 0) {
    throw new EvolveError('INVALID_MODEL', `model ${name} has no fields`, { path: name });
  }
  for (const field of fieldNames) assertIdentifier(field, 'field name', `${name}.${field}`);
  // a bad `sqlType` override or default is refused at definition time, before any snapshot or SQL
  const metas = new Map<string, FieldMeta>();
  for (const field of fieldNames) {
    metas.set(field, checkFieldDefinition(options.shape[field] as never, `${name}.${field}`));
  }
  const has = (f: string) => Object.hasOwn(options.shape, f);

  const pkRaw = options.primaryKey ?? (target === 'document' ? '_id' : 'id');
  const primaryKey = Array.isArray(pkRaw) ? [...pkRaw] : [pkRaw];
  if (primaryKey.length === 0) {
    throw new EvolveError('INVALID_MODEL', `model ${name}: primary key is empty`, {
      path: `${name}.primaryKey`,
    });
  }
  for (const f of primaryKey) {
    const implicitDocumentId = target === 'document' && f === '_id';
    if (!implicitDocumentId && !has(f)) {
      throw new EvolveError('INVALID_MODEL', `model ${name}: primary key names a missing field "${f}"`, {
        path: `${name}.primaryKey`,
      });
    }
  }
  if (new Set(primaryKey).size !== primaryKey.length) {
    throw new EvolveError('INVALID_MODEL', `model ${name}: primary key repeats a field`, {
      path: `${name}.primaryKey`,
    });
  }
  for (const [field, meta] of metas) {
    if (meta.generated === undefined) continue;
    checkGeneratedKey({ model: name, target, primaryKey, field, schema: options.shape[field] });
  }

  const indexes = (options.indexes ?? []).map((index, i) => {
    const path = `${name}.indexes[${i}]`;
    if (!index || !Array.isArray(index.fields) || index.fields.length === 0) {
      throw new EvolveError('INVALID_MODEL', `${path}: an index needs a non-empty fields list`, { path });
    }
    for (const f of index.fields) {
      if (!has(f))
        throw new EvolveError('INVALID_MODEL', `${path}: index names a missing field "${f}"`, { path });
    }
    if (index.name !== undefined) assertIdentifier(index.name, 'index name', path);
    return { ...index, fields: [...index.fields] };
  });

  const foreignKeys = (options.foreignKeys ?? []).map((fk, i) => {
    const path = `${name}.foreignKeys[${i}]`;
    if (!fk || !Array.isArray(fk.fields) || fk.fields.length === 0 || !fk.references) {
      throw new EvolveError('INVALID_MODEL', `${path}: a foreign key needs fields and references`, { path });
    }
    if (target !== 'sql') {
      throw new EvolveError('INVALID_MODEL', `${path}: foreign keys are for sql models only`, { path });
    }
    for (const f of fk.fields) {
      if (!has(f)) {
        throw new EvolveError('INVALID_MODEL', `${path}: foreign key names a missing field "${f}"`, { path });
      }
    }
    if (fk.references.fields?.length !== fk.fields.length) {
      throw new EvolveError('INVALID_MODEL', `${path}: references must name as many fields as the key has`, {
        path,
      });
    }
    if (fk.onDelete !== undefined && !ON_DELETE.includes(fk.onDelete)) {
      throw new EvolveError('INVALID_MODEL', `${path}: onDelete must be one of ${ON_DELETE.join(', ')}`, {
        path,
      });
    }
    if (fk.name !== undefined) assertIdentifier(fk.name, 'foreign key name', path);
    return {
      ...fk,
      fields: [...fk.fields],
      references: { ...fk.references, fields: [...fk.references.fields] },
    };
  });

  const model: Model<Shape> = {
    name,
    target,
    table,
    primaryKey: Object.freeze(primaryKey),
    shape: options.shape,
    schema: z.object(options.shape),
    indexes: Object.freeze(indexes),
    foreignKeys: Object.freeze(foreignKeys),
    ...(options.renamedFrom !== undefined ? { renamedFrom: options.renamedFrom } : {}),
  };
  return Object.freeze(model);
}
