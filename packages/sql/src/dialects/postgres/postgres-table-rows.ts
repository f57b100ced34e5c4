import { type Kysely, sql } from 'kysely';
import { countRows } from '../shared/count-rows.ts';

/**
 * Row counts from `pg_class.reltuples` (as of the last ANALYZE or autovacuum); a table never analyzed is
 * counted with `count(*)`.
 */
export async function postgresTableRows(
  db: Kysely<any>,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const names = sql.join(tables.map((t) => sql.lit(t)));
  const { rows } = await sql<{ name: string; estimate: number }>`
    select c.relname as name, c.reltuples::float8 as estimate from pg_class c
    where c.relkind in ('r', 'p') and c.relnamespace = current_schema()::regnamespace and c.relname in (${names})`.execute(
    db,
  );
  for (const row of rows) {
    out[row.name] =
      Number(row.estimate) >= 0 ? Math.round(Number(row.estimate)) : await countRows(db, row.name);
  }
  return out;
}
