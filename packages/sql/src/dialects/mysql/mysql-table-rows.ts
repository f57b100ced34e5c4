import { type Kysely, sql } from 'kysely';

/** Row counts from `information_schema.tables.table_rows` (InnoDB's sampled estimate). */
export async function mysqlTableRows(
  db: Kysely<any>,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const names = sql.join(tables.map((t) => sql.lit(t)));
  const { rows } = await sql<{ name: string; estimate: number | string | null }>`
    select table_name as name, table_rows as estimate from information_schema.tables
    where table_schema = database() and table_name in (${names})`.execute(db);
  for (const row of rows) out[row.name] = Number(row.estimate ?? 0);
  return out;
}
