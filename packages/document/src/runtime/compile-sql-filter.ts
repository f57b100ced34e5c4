import { EvolveError } from '@evolve/core';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Filter, type FilterNode, parseFilter } from './filter.ts';
import type { SqlJsonDialect } from './sql-json-dialect.ts';

/** Where a document table keeps its id and its JSON document. */
export interface SqlDocumentColumns {
  id: RawBuilder<unknown>;
  doc: RawBuilder<unknown>;
}

const TRUE = sql<SqlBool>`(1 = 1)`;
const FALSE = sql<SqlBool>`(1 = 0)`;

function not(expr: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(not ${expr})`;
}

function any(parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length === 0 ? FALSE : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

function all(parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

function comparable(value: unknown, path: string): number | string {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new EvolveError('UNSUPPORTED_CHANGE', `SQL JSON filters compare only numbers and strings`, { path });
}

function idTerm(columns: SqlDocumentColumns, op: string, value: unknown): RawBuilder<SqlBool> {
  const ids = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
  switch (op) {
    case 'eq':
      return typeof value === 'string' ? sql<SqlBool>`(${columns.id} = ${value})` : FALSE;
    case 'ne':
      return typeof value === 'string' ? sql<SqlBool>`(${columns.id} <> ${value})` : TRUE;
    case 'in': {
      const list = ids(value as unknown[]);
      return list.length === 0 ? FALSE : sql<SqlBool>`(${columns.id} in (${sql.join(list)}))`;
    }
    case 'nin': {
      const list = ids(value as unknown[]);
      return list.length === 0 ? TRUE : sql<SqlBool>`(${columns.id} not in (${sql.join(list)}))`;
    }
    case 'exists':
      return value ? TRUE : FALSE;
    default: {
      if (typeof value !== 'string') return FALSE;
      const operator = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op]!;
      return sql<SqlBool>`(${columns.id} ${sql.raw(operator)} ${value})`;
    }
  }
}

function equalsTerm(dialect: SqlJsonDialect, doc: RawBuilder<unknown>, path: string, value: unknown) {
  if (value === null || value === undefined) {
    return any([not(dialect.present(doc, path)), dialect.isJsonNull(doc, path)]);
  }
  return dialect.equals(doc, path, value);
}

function compileNode(
  node: FilterNode,
  dialect: SqlJsonDialect,
  columns: SqlDocumentColumns,
): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'and':
      return all(node.children.map((c) => compileNode(c, dialect, columns)));
    case 'or':
      return any(node.children.map((c) => compileNode(c, dialect, columns)));
    case 'nor':
      return not(any(node.children.map((c) => compileNode(c, dialect, columns))));
    case 'field': {
      const { path, op, value } = node;
      if (path === '_id') return idTerm(columns, op, value);
      const doc = columns.doc;
      switch (op) {
        case 'eq':
          return equalsTerm(dialect, doc, path, value);
        case 'ne':
          return not(equalsTerm(dialect, doc, path, value));
        case 'in':
          return any((value as unknown[]).map((v) => equalsTerm(dialect, doc, path, v)));
        case 'nin':
          return not(any((value as unknown[]).map((v) => equalsTerm(dialect, doc, path, v))));
        case 'exists':
          return value ? dialect.present(doc, path) : not(dialect.present(doc, path));
        case 'gt':
          return dialect.compare(doc, path, '>', comparable(value, path));
        case 'gte':
          return dialect.compare(doc, path, '>=', comparable(value, path));
        case 'lt':
          return dialect.compare(doc, path, '<', comparable(value, path));
        case 'lte':
          return dialect.compare(doc, path, '<=', comparable(value, path));
      }
    }
  }
}

/**
 * Translates a filter into a SQL boolean expression over a JSON document column. Values and paths
 * travel as parameters; the expression is never SQL NULL, so `not` and `$nor` behave as in MongoDB.
 *
 * @example
 * import { sql } from 'kysely';
 * const columns = { id: sql.ref('id'), doc: sql.ref('doc') };
 * db.selectFrom('users').selectAll().where(compileSqlFilter({ 'address.city': 'Oslo' }, sqlJsonDialectFor(db), columns));
 */
export function compileSqlFilter(
  filter: Filter,
  dialect: SqlJsonDialect,
  columns: SqlDocumentColumns,
): RawBuilder<SqlBool> {
  return compileNode(parseFilter(filter), dialect, columns);
}
