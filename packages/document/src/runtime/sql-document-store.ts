import { randomUUID } from 'node:crypto';
import { type Kysely, type SqlBool, sql } from 'kysely';
import { applyUpdate } from './apply-update.ts';
import { compileSqlFilter } from './compile-sql-filter.ts';
import { type SqlJsonDialectName, sqlJsonDialectFor } from './dialects/json-dialect-for.ts';
import type { DocumentStore } from './document-store.ts';
import { BULK_ROWS } from './sql-bulk-cas.ts';
import { createSqlCheckpointStore } from './sql-checkpoint-store.ts';
import { guard, idOf, sqlDocumentQueries, storedJson } from './sql-document-queries.ts';

export interface SqlDocumentStoreOptions {
  /** Table holding the documents: `(id text primary key, doc jsonb | text)`. */
  table: string;
  /** Detected from the Kysely instance when omitted. */
  dialect?: SqlJsonDialectName;
  /** Table for sweep checkpoints (default `evolve_sweeps`). */
  checkpointTable?: string;
}

/** Rows per query when `find` streams a result in `_id` order. */
const STREAM_PAGE = 1000;

/** A limit up to this many rows is read with one query (a sweep's batch is one page). */
const ONE_PAGE_LIMIT = 5000;

/**
 * A DocumentStore over JSON documents in a SQL table, through the application's Kysely instance, in
 * the dialect's JSON column type (`SqlJsonDialect`, see `dialects/`). Filters compile to the dialect's
 * JSON operators with every value as a parameter. Create the table with `createDocumentTable`.
 *
 * @example
 * await createDocumentTable(db, { table: 'users' });
 * const users = versioned(createSqlDocumentStore(db, { table: 'users' }), upgrader, { writeBack: true });
 */
export function createSqlDocumentStore(db: Kysely<any>, options: SqlDocumentStoreOptions): DocumentStore {
  const dialect = sqlJsonDialectFor(db, options.dialect);
  const queries = sqlDocumentQueries(db, dialect, options.table);
  const { table, columns, decode, select, casOne, casBulk, writeTransaction } = queries;

  return {
    kind: 'document-store',
    name: options.table,
    newId: () => randomUUID(),
    async *find(filter, find = {}) {
      const sortKeys = Object.entries(find.sort ?? {});
      const byId = sortKeys.length === 0 || (sortKeys.length === 1 && find.sort?._id === 1);
      if (!byId || find.skip) {
        const { rows } = await select(filter, find).execute(db);
        for (const row of rows) yield decode(row);
        return;
      }
      // In _id order, stream page by page (keyset) so a large result never sits in memory at once.
      let after = find.after;
      let left = find.limit ?? Number.POSITIVE_INFINITY;
      const page = left <= ONE_PAGE_LIMIT ? left : STREAM_PAGE;
      while (left > 0) {
        const limit = Math.min(page, left);
        const { rows } = await select(filter, { sort: { _id: 1 }, limit, after }).execute(db);
        for (const row of rows) yield decode(row);
        if (rows.length < limit) return;
        left -= rows.length;
        after = rows[rows.length - 1]!.id;
      }
    },
    async findOne(filter, find) {
      const { rows } = await select(filter, { ...find, limit: 1 }).execute(db);
      return rows[0] ? decode(rows[0]) : null;
    },
    async count(filter) {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from ${table} as t where ${compileSqlFilter(filter, dialect, columns)}`.execute(
        db,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async insert(docs) {
      if (docs.length === 0) return [];
      const values = docs.map((doc) => {
        const id = idOf(doc._id ?? randomUUID());
        return { id, doc: storedJson(doc) };
      });
      await db
        .insertInto(options.table)
        .values(values.map((v) => ({ id: v.id, doc: dialect.encode(v.doc) })))
        .execute();
      return values.map((v) => v.id);
    },
    async compareAndSet(writes) {
      if (writes.length === 0) return [];
      const fields = Object.keys(writes[0]!.expect);
      const sameShape = writes.every((w) => {
        const keys = Object.keys(w.expect);
        return keys.length === fields.length && keys.every((k, i) => k === fields[i]);
      });
      if (writes.length > 1 && sameShape) {
        const results: boolean[] = [];
        for (let i = 0; i < writes.length; i += BULK_ROWS) {
          results.push(...(await casBulk(writes.slice(i, i + BULK_ROWS), fields)));
        }
        return results;
      }
      if (writes.length === 1) return [await casOne(db, writes[0]!)];
      return writeTransaction(async (trx) => {
        const results: boolean[] = [];
        for (const write of writes) results.push(await casOne(trx, write));
        return results;
      });
    },
    async update(id, expect, update) {
      return writeTransaction(async (trx) => {
        const lock = dialect.lockForUpdate ? sql` for update` : sql``;
        const { rows } = await sql<{
          id: string;
          doc: unknown;
        }>`select t.id, t.doc from ${table} as t where t.id = ${idOf(id)} and ${guard(dialect, columns, expect)}${lock}`.execute(
          trx,
        );
        const row = rows[0];
        if (!row) return false;
        const next = applyUpdate(dialect.decode(row.doc), update);
        await sql`update ${table} as t set doc = ${dialect.encode(storedJson(next))} where t.id = ${row.id}`.execute(
          trx,
        );
        return true;
      });
    },
    async delete(filter, find) {
      const where = compileSqlFilter(filter, dialect, columns);
      const target = find?.limit
        ? sql<SqlBool>`t.id in (select t.id from ${table} as t where ${where} order by t.id limit 1)`
        : where;
      const result = await sql`delete from ${table} as t where ${target}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
    checkpoints: createSqlCheckpointStore(db, { table: options.checkpointTable ?? 'evolve_sweeps' }),
  };
}
