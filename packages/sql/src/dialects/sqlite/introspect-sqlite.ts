import type { OnDeleteAction } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { LiveForeignKey, LiveSchema } from '../../drift/live-schema.ts';
import { sqliteEnumChecks } from './sqlite-enum-checks.ts';
import { sqliteCanonicalType } from './sqlite-types.ts';

const ON_DELETE: Record<string, OnDeleteAction> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'SET NULL': 'set null',
  'NO ACTION': 'no action',
};

/** Tables from Kysely's introspector; types, keys, indexes and foreign keys from the pragma functions. */
export async function introspectSqlite(db: Kysely<any>): Promise<LiveSchema> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView);
  const live: LiveSchema = new Map();
  for (const t of tables) {
    const info = await sql<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>`
      select name, type, "notnull", dflt_value, pk from pragma_table_info(${t.name}) order by cid`.execute(
      db,
    );
    const indexList = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${t.name})`.execute(db);
    const indexes = [];
    for (const index of indexList.rows) {
      if (index.origin === 'pk') continue;
      const cols = await sql<{
        name: string;
      }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      indexes.push({ name: index.name, columns: cols.rows.map((c) => c.name), unique: index.unique === 1 });
    }
    const fkRows = await sql<{ id: number; table: string; from: string; to: string; on_delete: string }>`
      select id, "table", "from", "to", on_delete from pragma_foreign_key_list(${t.name}) order by id, seq`.execute(
      db,
    );
    const foreignKeys = new Map<number, LiveForeignKey>();
    for (const row of fkRows.rows) {
      let fk = foreignKeys.get(row.id);
      if (!fk) {
        // SQLite keeps no constraint names in its catalog: keys are compared by their columns
        fk = {
          name: '',
          columns: [],
          references: { table: row.table, columns: [] },
          onDelete: ON_DELETE[row.on_delete] ?? 'no action',
        };
        foreignKeys.set(row.id, fk);
      }
      fk.columns.push(row.from);
      fk.references.columns.push(row.to);
    }
    // SQLite keeps constraints only in the table's CREATE statement: an enum's CHECK is `"column" in (...)`
    const created = await sql<{ sql: string | null }>`
      select sql from sqlite_master where type = 'table' and name = ${t.name}`.execute(db);
    const checks = sqliteEnumChecks(created.rows[0]?.sql ?? '').enums;
    // the rowid alias: the one primary key column, declared exactly INTEGER (not INT, not BIGINT)
    const keys = info.rows.filter((c) => c.pk > 0);
    const alias =
      keys.length === 1 && /^integer$/i.test(keys[0]?.type.trim() ?? '') ? keys[0]?.name : undefined;
    live.set(t.name, {
      name: t.name,
      columns: info.rows.map((c) => ({
        name: c.name,
        type: sqliteCanonicalType(c.type),
        nullable: c.notnull === 0,
        default: c.dflt_value,
        ...(checks.has(c.name) ? { enumValues: checks.get(c.name) } : {}),
        ...(c.name === alias ? { generated: 'identity' as const } : {}),
      })),
      primaryKey: info.rows
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes,
      foreignKeys: [...foreignKeys.values()],
    });
  }
  return live;
}
