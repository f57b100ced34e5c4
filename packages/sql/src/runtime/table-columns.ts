import type { Kysely } from 'kysely';

/** The columns of a table as the database has them now, or undefined when there is no such table. */
export async function tableColumns(executor: Kysely<any>, table: string): Promise<Set<string> | undefined> {
  const tables = await executor.introspection.getTables();
  const found = tables.find((t) => t.name === table);
  return found && new Set(found.columns.map((c) => c.name));
}
