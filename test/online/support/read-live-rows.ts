import { columnOf, type Row, type Snapshot, type TypeSnapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { TableRows } from './apply-live-ops.ts';
import { fromDriverValue } from './live-values.ts';

/** Primary-key columns per SQL table of a snapshot. */
export function keysOf(snapshot: Snapshot): Record<string, string[]> {
  return Object.fromEntries(
    Object.values(snapshot.models)
      .filter((m) => m.target === 'sql')
      .map((m) => [m.table, m.primaryKey.map((f) => (m.fields[f] ? columnOf(f, m.fields[f]) : f))]),
  );
}

/**
 * Every row of every SQL table of `snapshot`, ordered by primary key, with values as the application
 * holds them (JSON columns parsed, booleans from 0/1). Columns the snapshot does not know are kept as read.
 */
export async function readLiveRows(db: Kysely<any>, snapshot: Snapshot): Promise<TableRows> {
  const out: TableRows = {};
  const models = Object.values(snapshot.models)
    .filter((m) => m.target === 'sql')
    .sort((a, b) => a.table.localeCompare(b.table));
  for (const model of models) {
    const types = new Map<string, TypeSnapshot>(
      Object.entries(model.fields).map(([name, field]) => [columnOf(name, field), field.type]),
    );
    const key = keysOf(snapshot)[model.table] ?? [];
    const rows = await key
      .reduce((q, k) => q.orderBy(k), db.selectFrom(model.table).selectAll() as any)
      .execute();
    out[model.table] = (rows as Row[]).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, fromDriverValue(v, types.get(k))])),
    ) as Row[];
  }
  return out;
}

/**
 * `table.column` -> rows holding NULL, for every required column of `snapshot` (only columns with some).
 * A table or column missing from the database is left to the drift check.
 */
export async function nullsInRequiredColumns(
  db: Kysely<any>,
  snapshot: Snapshot,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of Object.values(snapshot.models).filter((m) => m.target === 'sql')) {
    for (const [name, field] of Object.entries(model.fields)) {
      if (field.nullable || field.optional) continue;
      const column = columnOf(name, field);
      const row = await db
        .selectFrom(model.table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where(column, 'is', null)
        .executeTakeFirst()
        .catch(() => undefined);
      const n = Number(row?.n ?? 0);
      if (n > 0) out[`${model.table}.${column}`] = n;
    }
  }
  return out;
}
