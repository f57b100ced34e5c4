import { columnOf, type JsonValue, type Row, type Snapshot, type TypeSnapshot } from '@evolve/core';
import type { Kysely } from 'kysely';

/** One column the old application writes. */
export interface LiveColumn {
  column: string;
  type: TypeSnapshot;
  nullable: boolean;
  /** A foreign key: values come from this pool (keys of the referenced table) instead of being made up. */
  pool?: JsonValue[];
}

/** One table the old application writes: every column of its model at that version. */
export interface LiveTable {
  table: string;
  /** Primary-key columns. */
  key: string[];
  columns: LiveColumn[];
  /** Existing keys the writer updates and deletes. */
  keys: Row[];
  /**
   * Insert half the rows with integer keys between the existing ones (landing behind a backfill's
   * cursor, as random or reused keys do), not only above them. Needs every key of the table in `keys`.
   */
  insertBetween: boolean;
  /**
   * A foreign key (of any version) points at this table: the writer deletes only rows it inserted itself,
   * so that no delete cascades or is restricted and the foreign-key pools stay valid.
   */
  referenced: boolean;
}

/** What the old application writes, and how: sent as JSON to the writer process. */
export interface LiveWriterPlan {
  tables: LiveTable[];
  /** First number of the writer's counter (new ids, generated values): above every seeded one. */
  counterStart: number;
  /** Relative weights of the statement kinds. Default insert 3, update 5, delete 2. */
  mix?: { insert: number; update: number; delete: number };
}

/** `table.column` -> the referenced `table.column`, for every foreign key any of the snapshots declares. */
export function foreignKeysOf(
  snapshots: readonly Snapshot[],
): Map<string, { table: string; column: string }> {
  const out = new Map<string, { table: string; column: string }>();
  for (const snapshot of snapshots) {
    for (const model of Object.values(snapshot.models)) {
      for (const fk of model.foreignKeys) {
        const target = snapshot.models[fk.references.model];
        if (!target) continue;
        fk.fields.forEach((field, i) => {
          const ref = fk.references.fields[i];
          const from = model.fields[field];
          const to = ref ? target.fields[ref] : undefined;
          if (!from || !to || !ref) return;
          out.set(`${model.table}.${columnOf(field, from)}`, {
            table: target.table,
            column: columnOf(ref, to),
          });
        });
      }
    }
  }
  return out;
}

/** The SQL tables of a snapshot, columns and keys named as stored, without keys or pools yet. */
export function liveTablesOf(snapshot: Snapshot): LiveTable[] {
  return Object.values(snapshot.models)
    .filter((m) => m.target === 'sql')
    .map((model) => ({
      table: model.table,
      key: model.primaryKey.map((f) => {
        const field = model.fields[f];
        return field ? columnOf(f, field) : f;
      }),
      columns: Object.entries(model.fields).map(([name, field]) => ({
        column: columnOf(name, field),
        type: field.type,
        nullable: field.nullable || field.optional,
      })),
      keys: [],
      insertBetween: false,
      referenced: false,
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
}

/**
 * The plan of the application at `snapshot`'s version: it writes every column of every SQL model, draws
 * foreign-key values from the referenced table's existing keys (a key any version of `history` declares,
 * so the data stays valid for a version that adds the constraint), updates existing rows, and deletes
 * existing rows too where no foreign key points at the table (else only the rows it inserted).
 *
 * @example
 * const plan = await planLiveWriter(db, snapshots[2], { history: snapshots, counterStart: 1_000_000 });
 */
export async function planLiveWriter(
  db: Kysely<any>,
  snapshot: Snapshot,
  options: {
    history?: readonly Snapshot[];
    counterStart: number;
    maxKeys?: number;
    /** Insert between existing integer keys too (where every key fits in `maxKeys`). Default true. */
    insertBetween?: boolean;
  },
): Promise<LiveWriterPlan> {
  const references = foreignKeysOf(options.history ?? [snapshot]);
  const tables = liveTablesOf(snapshot);
  const known = new Set(tables.map((t) => t.table));
  const limit = options.maxKeys ?? 20_000;
  const referenced = new Set([...references.values()].map((r) => r.table));
  for (const table of tables) {
    table.referenced = referenced.has(table.table);
    table.keys = (await db.selectFrom(table.table).select(table.key).limit(limit).execute()) as Row[];
    table.insertBetween = options.insertBetween !== false && table.keys.length < limit;
    for (const column of table.columns) {
      const ref = references.get(`${table.table}.${column.column}`);
      if (!ref || !known.has(ref.table)) continue;
      const rows = await db.selectFrom(ref.table).select(ref.column).limit(limit).execute();
      column.pool = rows.map((r) => r[ref.column] as JsonValue);
    }
  }
  return { tables, counterStart: options.counterStart };
}
