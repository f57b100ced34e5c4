import { type Kysely, sql } from 'kysely';
import { stableStringify } from './stable-stringify.ts';

export type DumpDialect = 'postgres' | 'mysql' | 'sqlite';

interface TableRef {
  schema?: string;
  name: string;
}

type CatalogRow = Record<string, unknown>;

async function rows(db: Kysely<any>, query: ReturnType<typeof sql>): Promise<CatalogRow[]> {
  return (await query.execute(db)).rows as CatalogRow[];
}

/** Catalog sections as lines; a row's keys are normalised to lower case (MariaDB answers in upper case). */
function section(title: string, list: CatalogRow[]): string[] {
  const lower = list.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])));
  return [`## ${title} (${list.length})`, ...lower.map((r) => `  ${stableStringify(r)}`)];
}

const PG_SYSTEM = sql`('pg_catalog', 'information_schema')`;

async function postgresSchema(db: Kysely<any>): Promise<{ lines: string[]; tables: TableRef[] }> {
  const notSystem = (col: string) =>
    sql`${sql.ref(col)} not in ${PG_SYSTEM} and ${sql.ref(col)} not like 'pg\\_toast%' and ${sql.ref(col)} not like 'pg\\_temp%'`;
  const tables = await rows(
    db,
    sql`select table_schema, table_name, table_type from information_schema.tables
        where ${notSystem('table_schema')} order by table_schema, table_name`,
  );
  const columns = await rows(
    db,
    sql`select table_schema, table_name, column_name, ordinal_position, data_type, udt_name,
               character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default,
               is_identity, identity_generation, is_generated, generation_expression, collation_name
        from information_schema.columns where ${notSystem('table_schema')}
        order by table_schema, table_name, ordinal_position`,
  );
  const constraints = await rows(
    db,
    sql`select n.nspname as schema, c.relname as table, con.conname as name, con.contype as type,
               pg_get_constraintdef(con.oid) as definition, con.convalidated as validated,
               con.condeferrable as deferrable
        from pg_constraint con join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        where ${notSystem('n.nspname')} order by 1, 2, 3`,
  );
  const indexes = await rows(
    db,
    sql`select n.nspname as schema, t.relname as table, ic.relname as name,
               pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid, i.indisready as ready
        from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        where ${notSystem('n.nspname')} order by 1, 2, 3`,
  );
  const enums = await rows(
    db,
    sql`select n.nspname as schema, t.typname as name,
               string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
        from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
        group by 1, 2 order by 1, 2`,
  );
  const sequences = await rows(
    db,
    sql`select sequence_schema, sequence_name, data_type, start_value, increment
        from information_schema.sequences where ${notSystem('sequence_schema')} order by 1, 2`,
  );
  const triggers = await rows(
    db,
    sql`select event_object_schema, event_object_table, trigger_name, action_timing, event_manipulation,
               action_statement
        from information_schema.triggers where ${notSystem('event_object_schema')} order by 1, 2, 3, 5`,
  );
  const views = await rows(
    db,
    sql`select table_schema, table_name, view_definition from information_schema.views
        where ${notSystem('table_schema')} order by 1, 2`,
  );
  const schemas = await rows(
    db,
    sql`select nspname as name from pg_namespace where ${notSystem('nspname')} order by 1`,
  );
  return {
    lines: [
      ...section('schemas', schemas),
      ...section('tables', tables),
      ...section('columns', columns),
      ...section('constraints', constraints),
      ...section('indexes', indexes),
      ...section('enum types', enums),
      ...section('sequences', sequences),
      ...section('triggers', triggers),
      ...section('views', views),
    ],
    tables: tables
      .filter((t) => t.table_type === 'BASE TABLE')
      .map((t) => ({ schema: String(t.table_schema), name: String(t.table_name) })),
  };
}

async function mysqlSchema(db: Kysely<any>): Promise<{ lines: string[]; tables: TableRef[] }> {
  const tables = await rows(
    db,
    sql`select table_name as name, table_type as type, engine as engine, table_collation as collation,
               create_options as options, table_comment as comment
        from information_schema.tables where table_schema = database() order by table_name`,
  );
  const columns = await rows(
    db,
    sql`select table_name as t, column_name as c, ordinal_position as pos, column_type as type,
               is_nullable as nullable, column_default as dflt, extra as extra, collation_name as collation,
               generation_expression as generated, column_comment as comment
        from information_schema.columns where table_schema = database()
        order by table_name, ordinal_position`,
  );
  const indexes = await rows(
    db,
    sql`select table_name as t, index_name as name, non_unique as non_unique, seq_in_index as seq,
               column_name as c, sub_part as sub_part, index_type as type
        from information_schema.statistics where table_schema = database()
        order by table_name, index_name, seq_in_index`,
  );
  const constraints = await rows(
    db,
    sql`select table_name as t, constraint_name as name, constraint_type as type
        from information_schema.table_constraints where constraint_schema = database()
        order by table_name, constraint_name, constraint_type`,
  );
  const keyColumns = await rows(
    db,
    sql`select table_name as t, constraint_name as name, column_name as c, ordinal_position as pos,
               referenced_table_name as ref_t, referenced_column_name as ref_c
        from information_schema.key_column_usage where constraint_schema = database()
        order by table_name, constraint_name, ordinal_position`,
  );
  const references = await rows(
    db,
    sql`select table_name as t, constraint_name as name, referenced_table_name as ref_t,
               update_rule as on_update, delete_rule as on_delete
        from information_schema.referential_constraints where constraint_schema = database()
        order by table_name, constraint_name`,
  );
  const checks = await rows(
    db,
    sql`select constraint_name as name, check_clause as clause
        from information_schema.check_constraints where constraint_schema = database()
        order by constraint_name`,
  );
  const triggers = await rows(
    db,
    sql`select event_object_table as t, trigger_name as name, action_timing as timing,
               event_manipulation as event, action_statement as body
        from information_schema.triggers where trigger_schema = database()
        order by event_object_table, trigger_name`,
  );
  const views = await rows(
    db,
    sql`select table_name as name, view_definition as definition
        from information_schema.views where table_schema = database() order by table_name`,
  );
  return {
    lines: [
      ...section('tables', tables),
      ...section('columns', columns),
      ...section('indexes', indexes),
      ...section('constraints', constraints),
      ...section('key columns', keyColumns),
      ...section('foreign keys', references),
      ...section('checks', checks),
      ...section('triggers', triggers),
      ...section('views', views),
    ],
    tables: tables
      .filter((t) => String(t.type ?? t.TYPE) === 'BASE TABLE')
      .map((t) => ({ name: String(t.name ?? t.NAME) })),
  };
}

async function sqliteSchema(db: Kysely<any>): Promise<{ lines: string[]; tables: TableRef[] }> {
  const objects = await rows(
    db,
    sql`select type, name, tbl_name, sql from sqlite_master
        where name not like 'sqlite\\_stat%' escape '\\' order by type, name`,
  );
  const userVersion = await rows(db, sql`pragma user_version`);
  const applicationId = await rows(db, sql`pragma application_id`);
  return {
    lines: [
      ...section('objects', objects),
      ...section('user_version', userVersion),
      ...section('application_id', applicationId),
    ],
    tables: objects.filter((o) => o.type === 'table').map((o) => ({ name: String(o.name) })),
  };
}

/**
 * The schema (tables, columns with types, nullability and defaults, indexes, constraints, triggers, views
 * — from catalog queries) and every row of a database, as one stable string. Two dumps are equal exactly
 * when schema and data are equal, whatever order the engine returns rows in; used to check that a failing
 * operation left the database byte-for-byte unchanged.
 *
 * @example
 * const before = await dumpDatabase(db, 'postgres');
 * await migrate(db, { migrations: broken });
 * expect(await dumpDatabase(db, 'postgres')).toBe(before);
 */
export async function dumpDatabase(db: Kysely<any>, dialect: DumpDialect): Promise<string> {
  const schema =
    dialect === 'postgres'
      ? await postgresSchema(db)
      : dialect === 'mysql'
        ? await mysqlSchema(db)
        : await sqliteSchema(db);
  const lines = ['# schema', ...schema.lines, '# data'];
  for (const table of schema.tables) {
    const scoped = table.schema ? db.withSchema(table.schema) : db;
    const data = await scoped.selectFrom(table.name).selectAll().execute();
    const sorted = data.map((r) => stableStringify(r)).sort();
    lines.push(`## ${table.schema ? `${table.schema}.` : ''}${table.name} (${sorted.length} rows)`);
    for (const r of sorted) lines.push(`  ${r}`);
  }
  return `${lines.join('\n')}\n`;
}
