import { EvolveError, type Row } from '@evolve/core';
import { type SqlBool, sql } from 'kysely';
import { type BulkCasStatement, recordsJson } from '../sql-bulk-cas.ts';
import { jsonTypeOf, OPERATORS, type SqlJsonDialect, segmentsOf } from '../sql-json-dialect.ts';

/**
 * SQLite: `UPDATE ... FROM json_each($1)` joined on the id (one JSON parameter: binding each value of a
 * `VALUES` list measured slower). An expected member matches when its JSON type and value are the same
 * (`is`: an absent member, whose type is NULL, matches only an absent expectation). `returning id` names the
 * updated table's column (RETURNING sees neither the FROM clause nor the alias).
 */
const sqliteBulkCas: BulkCasStatement = (table, records, fields) => {
  const guards = fields.map((f, i) => {
    if (f.includes('"')) {
      throw new EvolveError('UNSUPPORTED_CHANGE', `field name "${f}" contains a double quote`, { path: f });
    }
    const path = `$."${f}"`;
    const expected = `$.e${i}`;
    return sql`json_type(t.doc, ${path}) is json_type(v.value, ${expected}) and json_extract(t.doc, ${path}) is json_extract(v.value, ${expected})`;
  });
  return sql<{
    id: string;
  }>`update ${table} as t set doc = json_remove(json_extract(v.value, '$.doc'), '$._id')
    from json_each(${recordsJson(records)}) as v
    where t.id = json_extract(v.value, '$.id')${guards.length ? sql` and ${sql.join(guards, sql` and `)}` : sql``}
    returning id`;
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
  docType: 'text',
  idType: 'text',
  // an offset needs a limit: -1 means none
  noLimit: sql`-1`,
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
