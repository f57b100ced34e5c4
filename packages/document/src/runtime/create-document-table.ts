import type { Kysely } from 'kysely';
import { type SqlJsonDialectName, sqlJsonDialectFor } from './dialects/json-dialect-for.ts';

/**
 * Creates the table a SQL document store uses, if it does not exist: `id text primary key` compared byte
 * for byte (so keyset order is byte order) and a `doc` column of the dialect's JSON type (`docType`).
 *
 * @example
 * await createDocumentTable(db, { table: 'users' });
 */
export async function createDocumentTable(
  db: Kysely<any>,
  options: { table: string; dialect?: SqlJsonDialectName },
): Promise<void> {
  const dialect = sqlJsonDialectFor(db, options.dialect);
  await db.schema
    .createTable(options.table)
    .ifNotExists()
    .addColumn('id', dialect.idType, (c) => c.primaryKey())
    .addColumn('doc', dialect.docType, (c) => c.notNull())
    .execute();
}
