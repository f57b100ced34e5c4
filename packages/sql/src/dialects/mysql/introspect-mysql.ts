import type { OnDeleteAction } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import { enumCheckValues } from '../../drift/enum-check-values.ts';
import type { LiveSchema } from '../../drift/live-schema.ts';
import { mysqlCanonicalType } from './mysql-types.ts';

const ON_DELETE: Record<string, OnDeleteAction> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'SET NULL': 'set null',
  'NO ACTION': 'no action',
};

/** Tables of the current database: Kysely's introspector, then information_schema for the rest. */
export async function introspectMysql(db: Kysely<any>): Promise<LiveSchema> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView);
  const live: LiveSchema = new Map();
  for (const t of tables) {
    live.set(t.name, { name: t.name, columns: [], primaryKey: [], indexes: [], foreignKeys: [] });
  }
  const columns = await sql<{ t: string; c: string; type: string; n: string; d: string | null; x: string }>`
    select TABLE_NAME as t, COLUMN_NAME as c, COLUMN_TYPE as type, IS_NULLABLE as n, COLUMN_DEFAULT as d,
           EXTRA as x
    from information_schema.COLUMNS where TABLE_SCHEMA = database() order by TABLE_NAME, ORDINAL_POSITION`.execute(
    db,
  );
  for (const row of columns.rows) {
    // MariaDB reports a missing default of a nullable column as the text NULL
    const dflt = row.d === null || row.d === 'NULL' ? null : String(row.d);
    live.get(row.t)?.columns.push({
      name: row.c,
      type: mysqlCanonicalType(String(row.type)),
      nullable: row.n === 'YES',
      default: dflt,
      ...(/\bauto_increment\b/i.test(String(row.x ?? '')) ? { generated: 'identity' as const } : {}),
    });
  }
  const fks = await sql<{ t: string; name: string; c: string; rt: string; rc: string; del: string }>`
    select k.TABLE_NAME as t, k.CONSTRAINT_NAME as name, k.COLUMN_NAME as c, k.REFERENCED_TABLE_NAME as rt,
           k.REFERENCED_COLUMN_NAME as rc, r.DELETE_RULE as del
    from information_schema.KEY_COLUMN_USAGE k
    join information_schema.REFERENTIAL_CONSTRAINTS r
      on r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA and r.CONSTRAINT_NAME = k.CONSTRAINT_NAME and r.TABLE_NAME = k.TABLE_NAME
    where k.TABLE_SCHEMA = database() and k.REFERENCED_TABLE_NAME is not null
    order by k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`.execute(db);
  for (const row of fks.rows) {
    const table = live.get(row.t);
    if (!table) continue;
    let fk = table.foreignKeys.find((f) => f.name === row.name);
    if (!fk) {
      fk = {
        name: row.name,
        columns: [],
        references: { table: row.rt, columns: [] },
        onDelete: ON_DELETE[row.del] ?? 'no action',
      };
      table.foreignKeys.push(fk);
    }
    fk.columns.push(row.c);
    fk.references.columns.push(row.rc);
  }
  const stats = await sql<{ t: string; name: string; nu: number | string; c: string }>`
    select TABLE_NAME as t, INDEX_NAME as name, NON_UNIQUE as nu, COLUMN_NAME as c
    from information_schema.STATISTICS where TABLE_SCHEMA = database()
    order by TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`.execute(db);
  for (const row of stats.rows) {
    const table = live.get(row.t);
    if (!table) continue;
    if (row.name === 'PRIMARY') {
      table.primaryKey.push(row.c);
      continue;
    }
    // InnoDB's implicit index for a foreign key carries the key's name: part of the key, not drift
    if (table.foreignKeys.some((f) => f.name === row.name)) continue;
    let index = table.indexes.find((i) => i.name === row.name);
    if (!index) {
      index = { name: row.name, columns: [], unique: Number(row.nu) === 0 };
      table.indexes.push(index);
    }
    index.columns.push(row.c);
  }
  // CHECKs and their tables: MariaDB lists the table (a column's CHECK is named after the column, so names
  // repeat across tables); MySQL 8 does not, and names them uniquely per schema (TABLE_CONSTRAINTS has the table)
  const checks = await sql<Record<string, unknown>>`
    select * from information_schema.CHECK_CONSTRAINTS where CONSTRAINT_SCHEMA = database()`.execute(db);
  const owners = checks.rows.some((r) => r.TABLE_NAME === undefined)
    ? new Map(
        (
          await sql<{ t: string; name: string }>`
            select TABLE_NAME as t, CONSTRAINT_NAME as name from information_schema.TABLE_CONSTRAINTS
            where TABLE_SCHEMA = database() and CONSTRAINT_TYPE = 'CHECK'`.execute(db)
        ).rows.map((r) => [r.name, r.t]),
      )
    : undefined;
  for (const row of checks.rows) {
    const table = String(owners ? owners.get(String(row.CONSTRAINT_NAME)) : row.TABLE_NAME);
    const clause = String(row.CHECK_CLAUSE);
    const named = [...new Set([...clause.matchAll(/`((?:[^`]|``)+)`/g)].map((m) => m[1]))];
    const values = enumCheckValues(clause);
    const column = named.length === 1 ? live.get(table)?.columns.find((c) => c.name === named[0]) : undefined;
    if (values && column) column.enumValues = values;
  }
  return live;
}
