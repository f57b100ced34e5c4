import { type Kysely, sql } from 'kysely';
import { enumCheckValues } from '../../drift/enum-check-values.ts';
import { type LiveExtras, noExtras, noteTriggers } from '../../pull/live-extras.ts';

/** PostgreSQL: identity and serial columns, unmodelled indexes, triggers, views, other CHECKs, ON UPDATE. */
export async function postgresExtras(db: Kysely<any>): Promise<LiveExtras> {
  const extras = noExtras();
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? 'public';
  const columns = await sql<{
    t: string;
    c: string;
    identity: string;
    generated: string;
    dflt: string | null;
  }>`
    select c.relname as t, a.attname as c, a.attidentity as identity, a.attgenerated as generated,
           pg_get_expr(d.adbin, d.adrelid) as dflt
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and (a.attidentity <> '' or a.attgenerated <> '' or pg_get_expr(d.adbin, d.adrelid) like 'nextval(%')`.execute(
    db,
  );
  for (const row of columns.rows) {
    if (row.generated) {
      extras.notes.push({
        table: row.t,
        item: row.c,
        kind: 'approximated',
        reason: `generated column (${row.dflt ?? 'an expression'}): modelled as a plain column`,
      });
    } else extras.generatedKeys.add(`${row.t}.${row.c}`);
  }
  const indexes = await sql<{ t: string; i: string; partial: boolean; expression: boolean; method: string }>`
    select c.relname as t, i.relname as i, ix.indpred is not null as partial,
           ix.indexprs is not null as expression, am.amname as method
    from pg_index ix
    join pg_class c on c.oid = ix.indrelid
    join pg_class i on i.oid = ix.indexrelid
    join pg_am am on am.oid = i.relam
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not ix.indisprimary
      and (ix.indpred is not null or ix.indexprs is not null or am.amname <> 'btree'
           or exists (select 1 from unnest(ix.indoption) o where o <> 0)
           or ix.indnkeyatts <> ix.indnatts)`.execute(db);
  for (const row of indexes.rows) {
    extras.unmodelledIndexes.add(`${row.t}.${row.i}`);
    const what = row.partial
      ? 'a partial index (WHERE)'
      : row.expression
        ? 'an expression index'
        : row.method !== 'btree'
          ? `a ${row.method} index`
          : 'an index with DESC/NULLS ordering or INCLUDE columns';
    extras.notes.push({
      table: row.t,
      item: row.i,
      kind: 'skipped',
      reason: `${what}: the models describe plain column indexes only`,
    });
  }
  const others = await sql<{ t: string; name: string; kind: string; def: string; columns: number }>`
    select c.relname as t, con.conname as name, con.contype as kind, pg_get_constraintdef(con.oid) as def,
           coalesce(cardinality(con.conkey), 0) as columns
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and (con.contype in ('c', 'x') or (con.contype = 'f' and con.confupdtype <> 'a'))`.execute(
    db,
  );
  for (const row of others.rows) {
    if (row.kind === 'c' && Number(row.columns) === 1 && enumCheckValues(row.def)) continue;
    const what =
      row.kind === 'f'
        ? `foreign key ${row.name} has an ON UPDATE action (${row.def}): the models keep ON DELETE only`
        : `constraint ${row.name} (${row.def}) is not an enum list: the models cannot express it`;
    extras.notes.push({ table: row.t, item: row.name, kind: 'skipped', reason: what });
  }
  const triggers = await sql<{ t: string; name: string }>`
    select c.relname as t, tg.tgname as name from pg_trigger tg
    join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not tg.tgisinternal`.execute(db);
  noteTriggers(extras, triggers.rows);
  const enumColumns = await sql<{ t: string; c: string; type: string }>`
    select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type ty on ty.oid = a.atttypid
    where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and ty.typtype = 'e'`.execute(
    db,
  );
  for (const row of enumColumns.rows) {
    extras.notes.push({
      table: row.t,
      item: row.c,
      kind: 'approximated',
      reason: `native enum type ${row.type}: modelled as z.enum with sqlType ${row.type}; evolve neither creates nor changes the type (it must exist wherever the baseline runs)`,
    });
  }
  const views = await sql<{ t: string; kind: string }>`
    select c.relname as t, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('v', 'm')`.execute(db);
  for (const row of views.rows) {
    extras.notes.push({
      table: row.t,
      kind: 'skipped',
      reason: `a ${row.kind === 'm' ? 'materialized view' : 'view'}: the models hold tables only`,
    });
  }
  return extras;
}
