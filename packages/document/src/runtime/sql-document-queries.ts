import { EvolveError, type Row } from '@evolve/core';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { checkDepth } from './check-depth.ts';
import { compileSqlFilter, type SqlDocumentColumns } from './compile-sql-filter.ts';
import type { CasWrite, Expectation, FindOptions } from './document-store.ts';
import type { Filter } from './filter.ts';
import type { SqlJsonDialect } from './sql-json-dialect.ts';

/** A document id as the id column holds it (a string; anything else is UNSUPPORTED_CHANGE). */
export function idOf(id: unknown): string {
  if (typeof id !== 'string') {
    throw new EvolveError('UNSUPPORTED_CHANGE', `SQL document ids are strings, got ${typeof id}`, {
      path: String(id),
    });
  }
  return id;
}

/** The stored JSON: the document without `_id`, which lives in the id column (the key) only. */
export function storedJson(doc: Row): Row {
  checkDepth(doc);
  const { _id, ...rest } = doc;
  return rest;
}

/** The SQL condition that a stored document still has the expected field values (compare-and-set). */
export function guard(
  dialect: SqlJsonDialect,
  columns: SqlDocumentColumns,
  expect: Expectation,
): RawBuilder<SqlBool> {
  const filter: Filter = {};
  for (const [field, value] of Object.entries(expect)) {
    filter[field] = value === undefined ? { $exists: false } : { $eq: value };
  }
  return compileSqlFilter(filter, dialect, columns);
}

/**
 * The statements of a SQL document store over one table: `select` for finds, `casOne`/`casBulk` for
 * compare-and-set writes, and `writeTransaction` (with `lockOnBegin`, one holding the write lock from its start).
 *
 * @example
 * const { select, decode } = sqlDocumentQueries(db, sqlJsonDialectFor(db), 'users');
 * const { rows } = await select({ fullName: 'Ada' }, { limit: 10 }).execute(db);
 * rows.map(decode); // the documents, `_id` from the id column
 */
export function sqlDocumentQueries(db: Kysely<any>, dialect: SqlJsonDialect, tableName: string) {
  const table = sql.table(tableName);
  const columns: SqlDocumentColumns = { id: sql.ref('t.id'), doc: sql.ref('t.doc') };
  const decode = (row: { id: string; doc: unknown }): Row => ({ _id: row.id, ...dialect.decode(row.doc) });

  /** Runs `fn` in a write transaction (with `lockOnBegin`, one that holds the write lock from its start). */
  const writeTransaction = <T>(fn: (executor: Kysely<any>) => Promise<T>): Promise<T> => {
    if (!dialect.lockOnBegin) return db.transaction().execute(fn);
    return db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await fn(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => {});
        throw error;
      }
    });
  };

  const select = (filter: Filter, find: FindOptions = {}) => {
    const conditions = [compileSqlFilter(filter, dialect, columns)];
    if (find.after !== undefined) conditions.push(sql<SqlBool>`(t.id > ${idOf(find.after)})`);
    const order = Object.entries(find.sort ?? {}).map(([path, direction]) => {
      // The id column is the primary key, never null: a plain `asc`/`desc` matches its index, so a keyset page
      // reads only its rows (`asc nulls first` made the planner sort every row after the key, for each page).
      if (path === '_id') return direction === 1 ? sql`${columns.id} asc` : sql`${columns.id} desc`;
      const value = dialect.sortValue(columns.doc, path);
      return direction === 1 ? sql`${value} asc nulls first` : sql`${value} desc nulls last`;
    });
    if (find.sort && !('_id' in find.sort)) order.push(sql`t.id asc`);
    const orderBy = order.length ? sql` order by ${sql.join(order)}` : sql``;
    const where = sql.join(conditions, sql` and `);
    const limit =
      find.limit !== undefined
        ? sql` limit ${find.limit}`
        : find.skip
          ? sql` limit ${dialect.noLimit}`
          : sql``;
    const offset = find.skip ? sql` offset ${find.skip}` : sql``;
    return sql<{
      id: string;
      doc: unknown;
    }>`select t.id, t.doc from ${table} as t where ${where}${orderBy}${limit}${offset}`;
  };

  const casOne = async (executor: Kysely<any>, write: CasWrite): Promise<boolean> => {
    const result =
      await sql`update ${table} as t set doc = ${dialect.encode(storedJson(write.doc))} where t.id = ${idOf(write.id)} and ${guard(dialect, columns, write.expect)}`.execute(
        executor,
      );
    return Number(result.numAffectedRows ?? 0) === 1;
  };

  /** One bulk statement for writes that expect the same fields (in one write transaction with `lockOnBegin`). */
  const casBulk = async (writes: readonly CasWrite[], fields: string[]): Promise<boolean[]> => {
    const records = writes.map((w) => ({
      id: idOf(w.id),
      doc: w.doc,
      expect: fields.map((f) => w.expect[f]),
    }));
    const statement = dialect.bulkCompareAndSet(table, records, fields);
    const { rows } = dialect.lockOnBegin
      ? await writeTransaction((trx) => statement.execute(trx))
      : await statement.execute(db);
    const won = new Set(rows.map((r) => r.id));
    return records.map((r) => won.has(r.id));
  };

  return { table, columns, decode, select, casOne, casBulk, writeTransaction };
}
