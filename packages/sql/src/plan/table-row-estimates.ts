import type { Kysely } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';
import { capabilitiesOf } from '../dialects/capabilities-for.ts';

/**
 * The row count of each table, from the live database's statistics where the dialect keeps them (as of its
 * last statistics update; see each dialect's `tableRows`), else by counting. Only the given tables are
 * read; a table that does not exist is left out.
 *
 * @example
 * const rows = await tableRowEstimates(db, dialectOf(db), ['User', 'Post']);
 * rows.User; // e.g. 100000
 */
export async function tableRowEstimates(
  db: Kysely<any>,
  dialect: SqlDialect,
  tables: readonly string[],
): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  return capabilitiesOf(dialect).tableRows(db, tables);
}
