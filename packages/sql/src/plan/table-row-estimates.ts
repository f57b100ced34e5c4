import { EvolveError } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';

/**
 * The row count of each table, from the live database's statistics: PostgreSQL `pg_class.reltuples` (as of
 * the last ANALYZE or autovacuum; a table never analyzed is counted with `count(*)`), MySQL/MariaDB
 * `information_schema.tables.table_rows` (InnoDB's sampled estimate), SQLite `count(*)` (it keeps no row
 * statistics). Only the given tables are read; a table that does not exist is left out.
 *
 * @example
 * const rows = await tableRowEstimates(db, 'postgres', ['User', 'Post']);
 * rows.User; // e.g. 100000
 */
export async function tableRowEstimates(
  db: Kysely<any>,
  dialect: SqlDialect,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (tables.length === 0) return out;
  const names = sql.join(tables.map((t) => sql.lit(t)));
  if (dialect === 'postgres') {
    const { rows } = await sql<{ name: string; estimate: number }>`
      select c.relname as name, c.reltuples::float8 as estimate from pg_class c
      where c.relkind in ('r', 'p') and c.relnamespace = current_schema()::regnamespace and c.relname in (${names})`.execute(
      db,
    );
    for (const row of rows) {
      out[row.name] =
        Number(row.estimate) >= 0 ? Math.round(Number(row.estimate)) : await countRows(db, row.name);
    }
  } else if (dialect === 'mysql') {
    const { rows } = await sql<{ name: string; estimate: number | string | null }>`
      select table_name as name, table_rows as estimate from information_schema.tables
      where table_schema = database() and table_name in (${names})`.execute(db);
    for (const row of rows) out[row.name] = Number(row.estimate ?? 0);
  } else if (dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name in (${names})`.execute(db);
    for (const row of rows) out[row.name] = await countRows(db, row.name);
  } else {
    throw new EvolveError('INVALID_CONFIG', `no row statistics for dialect ${String(dialect)}`, {
      path: 'dialect',
    });
  }
  return out;
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}
