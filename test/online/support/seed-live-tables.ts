import type { JsonValue, Row, Snapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import { type Counter, newRow, toDriverRow } from './live-values.ts';
import { foreignKeysOf, type LiveTable, liveTablesOf } from './live-writer-plan.ts';

/**
 * Fills every SQL table of `snapshot` with `rows` generated rows, as the application at that version
 * writes them (referenced tables first, so foreign-key values point at existing rows).
 *
 * @example
 * await seedLiveTables(db, 'postgres', snapshots[1], { rows: 2000, next: counterFrom(1), history: snapshots });
 */
export async function seedLiveTables(
  db: Kysely<any>,
  dialect: string,
  snapshot: Snapshot,
  options: { rows: number; next: Counter; history?: readonly Snapshot[] },
): Promise<void> {
  const references = foreignKeysOf(options.history ?? [snapshot]);
  const pending = liveTablesOf(snapshot);
  const seeded = new Map<string, Row[]>();
  const referencedBy = (t: LiveTable) =>
    t.columns.map((c) => references.get(`${t.table}.${c.column}`)).filter((r) => r !== undefined);
  while (pending.length > 0) {
    const index = pending.findIndex((t) =>
      referencedBy(t).every(
        (r) => seeded.has(r.table) || r.table === t.table || !pending.some((p) => p.table === r.table),
      ),
    );
    const [table] = pending.splice(Math.max(index, 0), 1);
    if (!table) break;
    for (const column of table.columns) {
      const ref = references.get(`${table.table}.${column.column}`);
      const rows = ref && seeded.get(ref.table);
      if (ref && rows) column.pool = rows.map((r) => r[ref.column] as JsonValue);
    }
    const rows = Array.from({ length: options.rows }, () => newRow(table, options.next));
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200).map((r) => toDriverRow(r, dialect));
      await db.insertInto(table.table).values(chunk).execute();
    }
    seeded.set(table.table, rows);
  }
}
