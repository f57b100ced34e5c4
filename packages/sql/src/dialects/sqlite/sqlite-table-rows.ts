import { type Kysely, sql } from 'kysely';
import { countRows } from '../shared/count-rows.ts';

/** Row counts by `count(*)`: SQLite keeps no row statistics. */
export async function sqliteTableRows(
  db: Kysely<any>,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const names = sql.join(tables.map((t) => sql.lit(t)));
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name in (${names})`.execute(db);
  for (const row of rows) out[row.name] = await countRows(db, row.name);
  return out;
}
