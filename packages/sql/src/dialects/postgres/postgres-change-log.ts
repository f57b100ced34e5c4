import { sql } from 'kysely';
import type { ChangeLogSpec, ChangeLogSql } from '../shared/change-log-sql.ts';
import { changesInPlace, createLogTable, insertLogged, undoesNullFill } from '../shared/change-log-table.ts';
import { idList } from '../shared/sql-fragments.ts';
import { postgresCompiler } from './postgres-compiler.ts';

const db = () => postgresCompiler.db;
const names = (spec: ChangeLogSpec) => ({
  fn: `${spec.trigger}_f`,
  insert: `${spec.trigger}_i`,
  update: `${spec.trigger}_u`,
  nulls: `${spec.trigger}_n`,
  inPlace: `${spec.trigger}_p`,
});
const lockTimeout = (spec: ChangeLogSpec) =>
  sql`set local lock_timeout = ${sql.lit(`${Math.max(1, Math.round(spec.lockTimeoutMs))}ms`)}`.compile(db());

function triggers(spec: ChangeLogSpec) {
  const n = names(spec);
  const body = insertLogged(spec).compile(db()).sql;
  const trigger = (name: string, event: ReturnType<typeof sql>, when?: ReturnType<typeof sql>) => [
    sql`drop trigger if exists ${sql.id(name)} on ${sql.table(spec.table)}`.compile(db()),
    sql`create trigger ${sql.id(name)} after ${event} on ${sql.table(spec.table)} for each row ${when ? sql`when (${when}) ` : sql``}execute function ${sql.id(n.fn)}()`.compile(
      db(),
    ),
  ];
  return [
    // the body holds identifiers only (quoted by Kysely), never user text; it finds the log through the
    // search path of the migration, whatever the application's session uses
    sql`create or replace function ${sql.id(n.fn)}() returns trigger language plpgsql set search_path from current as ${sql.raw(`$evolve$ begin ${body}; return null; end $evolve$`)}`.compile(
      db(),
    ),
    ...trigger(n.insert, sql`insert`),
    ...(spec.sources.length > 0
      ? trigger(n.update, sql`update of ${idList(spec.sources.map((c) => c.name))}`)
      : []),
    ...(spec.nullFills.length > 0 ? trigger(n.nulls, sql`update`, undoesNullFill(spec)) : []),
    ...(spec.inPlace.length > 0
      ? trigger(
          n.inPlace,
          sql`update of ${idList(spec.inPlace.map((c) => c.name))}`,
          changesInPlace(spec, (c) => sql`OLD.${sql.id(c.name)} is distinct from NEW.${sql.id(c.name)}`),
        )
      : []),
  ];
}

/**
 * PostgreSQL: one plpgsql function inserts NEW's key into the log; AFTER triggers call it on INSERT, on
 * UPDATE OF the source columns, on an UPDATE that sets a NULL-filled column back to NULL, and on an UPDATE
 * that changes an in-place column. The final
 * catch-up holds SHARE ROW EXCLUSIVE on the table: reads go on, writes wait for the DDL's commit.
 */
export const postgresChangeLog: ChangeLogSql = {
  start(spec) {
    return [
      lockTimeout(spec),
      createLogTable(postgresCompiler, spec, 'bigserial primary key'),
      ...triggers(spec),
    ];
  },
  triggers,
  stop(spec) {
    const n = names(spec);
    return [
      ...[n.insert, n.update, n.nulls, n.inPlace].map((name) =>
        sql`drop trigger if exists ${sql.id(name)} on ${sql.table(spec.table)}`.compile(db()),
      ),
      sql`drop function if exists ${sql.id(n.fn)}()`.compile(db()),
    ];
  },
  drop: (spec) => [sql`drop table if exists ${sql.table(spec.log)}`.compile(db())],
  probe: (spec) =>
    sql`select 1 from pg_trigger where tgname = ${names(spec).insert} and not tgisinternal`.compile(db()),
  lock(spec) {
    return [
      lockTimeout(spec),
      sql`lock table ${sql.table(spec.table)} in share row exclusive mode`.compile(db()),
    ];
  },
  commit: () => [],
  unlock: () => [],
};
