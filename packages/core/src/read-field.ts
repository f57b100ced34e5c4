import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { checkSqlType } from './check-sql-type.ts';
import { EvolveError } from './errors.ts';
import { assertIdentifier } from './identifiers.ts';
import { setOwn } from './set-own.ts';
import type {
  DefaultSnapshot,
  FieldGenerated,
  FieldSnapshot,
  JsonValue,
  TypeSnapshot,
} from './snapshot-types.ts';
import { assertStorable } from './storable-text.ts';

/** Field metadata read from `.meta()` anywhere on a field's wrapper chain. */
export interface FieldMeta {
  renamedFrom?: string;
  sqlType?: string;
  column?: string;
  unique?: boolean;
  /** The database generates the value (`'identity'`): only on an sql model's single integer primary key. */
  generated?: FieldGenerated;
}

type AnyZod = z.core.$ZodType;

const def = (s: AnyZod): any => (s as any)._zod.def;

function readMeta(s: AnyZod, into: FieldMeta, path: string): void {
  const meta = z.globalRegistry.get(s as never) as Record<string, unknown> | undefined;
  if (!meta) return;
  for (const key of ['renamedFrom', 'sqlType', 'column'] as const) {
    const v = meta[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0) {
      throw new EvolveError('INVALID_MODEL', `meta.${key} at ${path} must be a non-empty string`, { path });
    }
    into[key] = v;
  }
  if (meta.unique !== undefined) into.unique = meta.unique === true;
  if (meta.generated !== undefined) {
    if (meta.generated !== 'identity') {
      throw new EvolveError(
        'INVALID_MODEL',
        `meta.generated at ${path} must be 'identity' (got ${JSON.stringify(meta.generated)})`,
        { path },
      );
    }
    into.generated = meta.generated;
  }
}

function readDefault(get: () => unknown, path: string): DefaultSnapshot {
  const a = get();
  const b = get();
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime() && a === b
      ? { value: a.toISOString() }
      : { dynamic: true };
  }
  // refused before JSON turns NaN into null, and before a database sees a NUL
  assertStorable(a, 'default', path);
  const ja = toJson(a, path);
  if (canonicalJson(ja) !== canonicalJson(toJson(b, path))) return { dynamic: true };
  // a function default returning a fresh object each call still yields the same constant
  return { value: ja };
}

function toJson(value: unknown, path: string): JsonValue {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    throw new EvolveError('INVALID_MODEL', `default at ${path} is not JSON-serializable`, { path });
  }
}

const STRING_FORMATS = new Set(['uuid', 'email', 'url', 'datetime']);
const INT_FORMATS = new Set(['safeint', 'int32', 'uint32']);

function readType(s: AnyZod, path: string): TypeSnapshot {
  const d = def(s);
  switch (d.type) {
    case 'string': {
      const t: TypeSnapshot & { kind: 'string' } = { kind: 'string' };
      if (typeof d.format === 'string' && STRING_FORMATS.has(d.format)) t.format = d.format;
      if (d.format === 'guid') t.format = 'uuid';
      for (const c of d.checks ?? []) {
        const cd = c._zod.def;
        if (cd.check === 'max_length') {
          t.maxLength = Math.min(t.maxLength ?? Number.POSITIVE_INFINITY, cd.maximum);
        }
        if (cd.check === 'length_equals') t.maxLength = cd.length;
        if (cd.check === 'string_format' && STRING_FORMATS.has(cd.format)) t.format = cd.format;
      }
      return t;
    }
    case 'number': {
      let integer = typeof d.format === 'string' && INT_FORMATS.has(d.format);
      for (const c of d.checks ?? []) {
        const cd = c._zod.def;
        if (cd.check === 'number_format' && INT_FORMATS.has(cd.format)) integer = true;
      }
      return { kind: 'number', integer };
    }
    case 'bigint':
      return { kind: 'bigint' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'date':
      return { kind: 'date' };
    case 'enum': {
      const values = Object.values(d.entries as Record<string, unknown>);
      if (!values.every((v) => typeof v === 'string')) {
        throw new EvolveError('INVALID_MODEL', `enum at ${path} must have string values only`, { path });
      }
      for (const v of values) assertStorable(v, 'enum value', path);
      return { kind: 'enum', values: values as string[] };
    }
    case 'literal': {
      const values = d.values as unknown[];
      const v = values[0];
      if (values.length !== 1 || !['string', 'number', 'boolean'].includes(typeof v)) {
        throw new EvolveError('INVALID_MODEL', `literal at ${path} must be one string, number or boolean`, {
          path,
        });
      }
      assertStorable(v, 'literal', path);
      return { kind: 'literal', value: v as string | number | boolean };
    }
    case 'array':
      return { kind: 'array', element: readElement(d.element, `${path}[]`) };
    case 'object':
      return { kind: 'object', fields: readFields(d.shape, path) };
    case 'record':
    case 'unknown':
    case 'any':
      return { kind: 'json' };
    default:
      throw new EvolveError(
        'INVALID_MODEL',
        `the zod type "${d.type}" at ${path} has no mapping; use string, number, bigint, boolean, date, ` +
          'enum, literal, array, object, record or unknown',
        { path },
      );
  }
}

interface ReadResult {
  field: FieldSnapshot;
  meta: FieldMeta;
}

/** Reads one zod field schema (with its wrapper chain) into a FieldSnapshot and its metadata. */
export function readField(schema: AnyZod, path: string): ReadResult {
  const meta: FieldMeta = {};
  let nullable = false;
  let optional = false;
  let dflt: DefaultSnapshot | undefined;
  let s = schema;
  for (let depth = 0; depth < 32; depth++) {
    if (!s || typeof s !== 'object' || !('_zod' in s)) {
      throw new EvolveError('INVALID_MODEL', `field at ${path} is not a zod schema`, { path });
    }
    readMeta(s, meta, path);
    const d = def(s);
    if (d.type === 'optional') optional = true;
    else if (d.type === 'nullable') nullable = true;
    else if (d.type === 'default' || d.type === 'prefault') {
      dflt ??= readDefault(() => d.defaultValue, path);
    } else if (d.type !== 'readonly') break;
    s = d.innerType;
  }
  const field: FieldSnapshot = { type: readType(s, path), nullable, optional };
  if (dflt) field.default = dflt;
  if (meta.column !== undefined) {
    assertIdentifier(meta.column, 'column name', path);
    field.column = meta.column;
  }
  if (meta.sqlType !== undefined) field.sqlType = checkSqlType(meta.sqlType, path);
  if (meta.generated !== undefined) field.generated = meta.generated;
  return { field, meta };
}

/**
 * The checks `defineModel` runs on a field's wrapper chain at definition time: the `sqlType` override must match
 * the type grammar and a constant default must hold no NUL. The type itself is mapped later, by `toSnapshot`.
 *
 * @example
 * checkFieldDefinition(z.string().meta({ sqlType: 'text; drop' }), 'A.b'); // throws INVALID_MODEL
 */
export function checkFieldDefinition(schema: AnyZod, path: string): FieldMeta {
  const meta: FieldMeta = {};
  let s = schema;
  for (let depth = 0; depth < 32 && s && typeof s === 'object' && '_zod' in s; depth++) {
    readMeta(s, meta, path);
    const d = def(s);
    if (d.type === 'default' || d.type === 'prefault') readDefault(() => d.defaultValue, path);
    else if (d.type !== 'optional' && d.type !== 'nullable' && d.type !== 'readonly') break;
    s = d.innerType;
  }
  if (meta.sqlType !== undefined) checkSqlType(meta.sqlType, path);
  return meta;
}

/** A field inside an object or array: never a key, so never generated. */
function readNested(schema: AnyZod, path: string): FieldSnapshot {
  const { field } = readField(schema, path);
  if (field.generated !== undefined) {
    throw new EvolveError(
      'INVALID_MODEL',
      `${path} cannot be generated: only the primary key of an sql model can (a top-level integer field)`,
      { path },
    );
  }
  return field;
}

function readElement(schema: AnyZod, path: string): FieldSnapshot {
  return { ...readNested(schema, path), optional: false };
}

/** Nested object fields: rename hints inside them are collected by `collectNestedHints`. */
function readFields(shape: Record<string, AnyZod>, path: string): Record<string, FieldSnapshot> {
  const out: Record<string, FieldSnapshot> = {};
  for (const name of Object.keys(shape).sort()) {
    assertIdentifier(name, 'field name', `${path}.${name}`);
    setOwn(out, name, readNested(shape[name] as AnyZod, `${path}.${name}`));
  }
  return out;
}

/**
 * Walks a field's nested objects/arrays and returns rename hints as `[newPathFromRoot, oldPathFromRoot]`.
 * A dotted `renamedFrom` is a path from the model root; a plain one names a sibling in the same object.
 */
export function collectHints(schema: AnyZod, path: string[]): Array<[string[], string[]]> {
  const out: Array<[string[], string[]]> = [];
  const meta: FieldMeta = {};
  let s = schema;
  while (['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(def(s).type)) {
    readMeta(s, meta, path.join('.'));
    s = def(s).innerType;
  }
  readMeta(s, meta, path.join('.'));
  if (meta.renamedFrom) {
    const from = meta.renamedFrom.includes('.')
      ? meta.renamedFrom.split('.')
      : [...path.slice(0, -1), meta.renamedFrom];
    out.push([path, from]);
  }
  const d = def(s);
  if (d.type === 'object') {
    for (const [k, v] of Object.entries(d.shape as Record<string, AnyZod>)) {
      out.push(...collectHints(v, [...path, k]));
    }
  } else if (d.type === 'array') {
    out.push(...collectHints(d.element, [...path, '[]']));
  }
  return out;
}
