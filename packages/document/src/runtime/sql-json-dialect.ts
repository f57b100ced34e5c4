import { EvolveError, type Row } from '@evolve/core';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { type BulkCasStatement, postgresBulkCas, sqliteBulkCas } from './sql-bulk-cas.ts';

export type SqlJsonDialectName = 'postgres' | 'sqlite';

/**
 * How one SQL dialect stores JSON documents and reads values at a path. Shared code (filters, the
 * store) only calls these hooks; it never checks the dialect's name.
 */
export interface SqlJsonDialect {
  readonly name: SqlJsonDialectName;
  /** Column type of the document column. */
  readonly docType: 'jsonb' | 'text';
  /** Encodes a document for writing into the document column. */
  encode(doc: Row): RawBuilder<unknown>;
  /** Decodes a document column value as read by the driver. */
  decode(raw: unknown): Row;
  /** The value at a path, for ordering. */
  sortValue(doc: RawBuilder<unknown>, path: string): RawBuilder<unknown>;
  /** True when the path holds any value, JSON null included. */
  present(doc: RawBuilder<unknown>, path: string): RawBuilder<SqlBool>;
  /** True when the path holds JSON null (not when it is missing). */
  isJsonNull(doc: RawBuilder<unknown>, path: string): RawBuilder<SqlBool>;
  /** Typed equality with a non-null value (never SQL NULL). */
  equals(doc: RawBuilder<unknown>, path: string, value: unknown): RawBuilder<SqlBool>;
  /** Typed comparison with a number or string (never SQL NULL). */
  compare(
    doc: RawBuilder<unknown>,
    path: string,
    op: '>' | '>=' | '<' | '<=',
    value: number | string,
  ): RawBuilder<SqlBool>;
  /** Whether UPDATE can lock the row it is about to change (`select ... for update`). */
  readonly lockForUpdate: boolean;
  /**
   * Whether write transactions must take the write lock when they begin (SQLite's `begin immediate`):
   * a deferred transaction that reads and then writes can deadlock with another process and fail at once
   * with "database is locked" instead of waiting.
   */
  readonly lockOnBegin: boolean;
  /** One statement for a batch of compare-and-set writes (see `sql-bulk-cas.ts`). */
  readonly bulkCompareAndSet: BulkCasStatement;
}

function segmentsOf(path: string): string[] {
  const segments = path.split('.');
  if (segments.some((s) => s.length === 0)) {
    throw new EvolveError('UNSUPPORTED_CHANGE', `invalid field path "${path}"`, { path });
  }
  return segments;
}

const OPERATORS = { '>': sql.raw('>'), '>=': sql.raw('>='), '<': sql.raw('<'), '<=': sql.raw('<=') };

function jsonTypeOf(value: unknown): 'number' | 'string' | 'boolean' | 'object' | 'array' {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  throw new EvolveError('UNSUPPORTED_CHANGE', `cannot compare with a ${typeof value} in SQL JSON`);
}

function pgValue(doc: RawBuilder<unknown>, path: string): RawBuilder<unknown> {
  return segmentsOf(path).reduce<RawBuilder<unknown>>(
    (acc, segment) => sql`(${acc} -> cast(${segment} as text))`,
    doc,
  );
}

/** PostgreSQL: a `jsonb` column, values read with `->` and compared as jsonb (typed). */
export const postgresJsonDialect: SqlJsonDialect = {
  name: 'postgres',
  docType: 'jsonb',
  lockForUpdate: true,
  lockOnBegin: false,
  bulkCompareAndSet: postgresBulkCas,
  encode: (doc) => sql`cast(${JSON.stringify(doc)} as jsonb)`,
  decode: (raw) => (typeof raw === 'string' ? JSON.parse(raw) : (raw as Row)),
  sortValue: pgValue,
  present: (doc, path) => sql<SqlBool>`(${pgValue(doc, path)} is not null)`,
  isJsonNull: (doc, path) => sql<SqlBool>`coalesce(jsonb_typeof(${pgValue(doc, path)}) = 'null', false)`,
  equals: (doc, path, value) =>
    sql<SqlBool>`coalesce(${pgValue(doc, path)} = cast(${JSON.stringify(value)} as jsonb), false)`,
  compare: (doc, path, op, value) => {
    const v = pgValue(doc, path);
    return sql<SqlBool>`coalesce(jsonb_typeof(${v}) = ${jsonTypeOf(value)} and ${v} ${OPERATORS[op]} cast(${JSON.stringify(value)} as jsonb), false)`;
  },
};

function sqlitePath(path: string): string {
  const segments = segmentsOf(path);
  if (segments.some((s) => s.includes('"'))) {
    throw new EvolveError('UNSUPPORTED_CHANGE', `field path "${path}" contains a double quote`, { path });
  }
  return '$' + segments.map((s) => `."${s}"`).join('');
}

const SQLITE_TYPES: Record<ReturnType<typeof jsonTypeOf>, readonly string[]> = {
  number: ['integer', 'real'],
  string: ['text'],
  boolean: ['true', 'false'],
  object: ['object'],
  array: ['array'],
};

/** SQLite: JSON text in a `text` column, values read with `json_extract` and typed with `json_type`. */
export const sqliteJsonDialect: SqlJsonDialect = {
  name: 'sqlite',
  docType: 'text',
  lockForUpdate: false,
  lockOnBegin: true,
  bulkCompareAndSet: sqliteBulkCas,
  encode: (doc) => sql`${JSON.stringify(doc)}`,
  decode: (raw) => JSON.parse(String(raw)) as Row,
  sortValue: (doc, path) => sql`json_extract(${doc}, ${sqlitePath(path)})`,
  present: (doc, path) => sql<SqlBool>`(json_type(${doc}, ${sqlitePath(path)}) is not null)`,
  isJsonNull: (doc, path) => sql<SqlBool>`coalesce(json_type(${doc}, ${sqlitePath(path)}) = 'null', 0)`,
  equals: (doc, path, value) => {
    const p = sqlitePath(path);
    const type = jsonTypeOf(value);
    if (type === 'boolean') return sql<SqlBool>`coalesce(json_type(${doc}, ${p}) = ${String(value)}, 0)`;
    if (type === 'object' || type === 'array') {
      return sql<SqlBool>`coalesce(json_type(${doc}, ${p}) = ${type} and json_extract(${doc}, ${p}) = json(${JSON.stringify(value)}), 0)`;
    }
    return sql<SqlBool>`coalesce(json_type(${doc}, ${p}) in (${sql.join(SQLITE_TYPES[type])}) and json_extract(${doc}, ${p}) = ${value}, 0)`;
  },
  compare: (doc, path, op, value) => {
    const p = sqlitePath(path);
    const types = SQLITE_TYPES[jsonTypeOf(value)];
    return sql<SqlBool>`coalesce(json_type(${doc}, ${p}) in (${sql.join(types)}) and json_extract(${doc}, ${p}) ${OPERATORS[op]} ${value}, 0)`;
  },
};

/** The JSON dialect for a name. */
export function sqlJsonDialect(name: SqlJsonDialectName): SqlJsonDialect {
  return name === 'postgres' ? postgresJsonDialect : sqliteJsonDialect;
}
