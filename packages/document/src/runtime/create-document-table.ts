import { type Kysely, sql } from 'kysely';
import { detectSqlJsonDialect } from './sql-document-store.ts';
import { type SqlJsonDialectName, sqlJsonDialect } from './sql-json-dialect.ts';

/**
 * Creates the table a SQL document store uses, if it does not exist: `id text primary key` (binary
 * collation on PostgreSQL, so keyset order is byte order) and `doc jsonb` (PostgreSQL) or `doc text` (SQLite).
 *
 * @example
 * await createDocumentTable(db, { table: 'users' });
 */
export async function createDocumentTable(
  db: Kysely<any>,
  options: { table: string; dialect?: SqlJsonDialectName },
): Promise<void> {
  const dialect = sqlJsonDialect(options.dialect ?? detectSqlJsonDialect(db));
  await db.schema
    .createTable(options.table)
    .ifNotExists()
    .addColumn('id', dialect.name === 'postgres' ? sql`text collate "C"` : 'text', (c) => c.primaryKey())
    .addColumn('doc', dialect.docType, (c) => c.notNull())
    .execute();
}
