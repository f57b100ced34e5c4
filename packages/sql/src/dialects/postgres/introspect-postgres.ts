import type { OnDeleteAction } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import { enumCheckValues } from '../../drift/enum-check-values.ts';
import type { LiveSchema, LiveTable } from '../../drift/live-schema.ts';

const ON_DELETE: Record<string, OnDeleteAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
};

const split = (list: string | null): string[] => (list ? list.split(',') : []);

/** Tables of the current schema with columns (Kysely's introspector) and keys/indexes (pg_catalog). */
export async function introspectPostgres(db: Kysely<any>): Promise<LiveSchema> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? 'public';
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView && t.schema === schema);
  const live: LiveSchema = new Map();
  for (const t of tables) {
    live.set(t.name, {
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: '', nullable: c.isNullable, default: null })),
      primaryKey: [],
      indexes: [],
      foreignKeys: [],
    });
  }
  const columns = await sql<{ table: string; column: string; type: string; default: string | null }>`
    select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type",
           pg_get_expr(d.adbin, d.adrelid) as "default"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`.execute(db);
  for (const row of columns.rows) {
    const column = live.get(row.table)?.columns.find((c) => c.name === row.column);
    if (column) Object.assign(column, { type: row.type, default: row.default });
  }
  const indexes = await sql<{
    table: string;
    name: string;
    primary: boolean;
    unique: boolean;
    valid: boolean;
    columns: string | null;
  }>`
    select c.relname as "table", i.relname as "name", ix.indisprimary as "primary", ix.indisunique as "unique",
           ix.indisvalid as "valid",
           (select string_agg(a.attname, ',' order by k.ord)
              from unnest(ix.indkey) with ordinality as k(attnum, ord)
              join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum) as "columns"
    from pg_index ix
    join pg_class c on c.oid = ix.indrelid
    join pg_class i on i.oid = ix.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema}`.execute(db);
  for (const row of indexes.rows) {
    const table = live.get(row.table);
    if (!table) continue;
    if (row.primary) table.primaryKey = split(row.columns);
    else if (row.valid)
      table.indexes.push({ name: row.name, columns: split(row.columns), unique: row.unique });
  }
  const fks = await sql<{
    table: string;
    name: string;
    ref: string;
    del: string;
    columns: string;
    refColumns: string;
  }>`
    select c.relname as "table", con.conname as "name", r.relname as "ref", con.confdeltype as "del",
           (select string_agg(a.attname, ',' order by k.ord) from unnest(con.conkey) with ordinality as k(attnum, ord)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as "columns",
           (select string_agg(a.attname, ',' order by k.ord) from unnest(con.confkey) with ordinality as k(attnum, ord)
              join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as "refColumns"
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_class r on r.oid = con.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where con.contype = 'f' and n.nspname = ${schema}`.execute(db);
  for (const row of fks.rows) {
    (live.get(row.table) as LiveTable | undefined)?.foreignKeys.push({
      name: row.name,
      columns: split(row.columns),
      references: { table: row.ref, columns: split(row.refColumns) },
      onDelete: ON_DELETE[row.del] ?? 'no action',
    });
  }
  const checks = await sql<{ table: string; column: string; def: string }>`
    select c.relname as "table", a.attname as "column", pg_get_constraintdef(con.oid) as "def"
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where con.contype = 'c' and cardinality(con.conkey) = 1 and n.nspname = ${schema}`.execute(db);
  for (const row of checks.rows) {
    const values = enumCheckValues(row.def);
    const column = live.get(row.table)?.columns.find((c) => c.name === row.column);
    if (values && column) column.enumValues = values;
  }
  // a column of a native enum type holds the type's labels, as a CHECK would
  const enums = await sql<{ table: string; column: string; labels: string[] | string }>`
    select c.relname as "table", a.attname as "column",
           array_agg(e.enumlabel::text order by e.enumsortorder) as "labels"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_enum e on e.enumtypid = a.atttypid
    where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
    group by c.relname, a.attname`.execute(db);
  for (const row of enums.rows) {
    const column = live.get(row.table)?.columns.find((c) => c.name === row.column);
    if (column && !column.enumValues) column.enumValues = pgArray(row.labels);
  }
  return live;
}

/** A text[] as the driver returns it: an array (pg), or its literal `{a,"b c"}` (drivers without the parser). */
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const items: string[] = [];
  for (const m of value.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)) {
    items.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  }
  return items;
}
