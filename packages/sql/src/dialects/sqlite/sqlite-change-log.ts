import { sql } from 'kysely';
import type { ChangeLogSpec, ChangeLogSql } from '../shared/change-log-sql.ts';
import { changesInPlace, createLogTable, insertLogged, undoesNullFill } from '../shared/change-log-table.ts';
import { idList } from '../shared/sql-fragments.ts';
import { sqliteCompiler } from './sqlite-compiler.ts';

const db = () => sqliteCompiler.db;
const names = (spec: ChangeLogSpec) => ({
  insert: `${spec.trigger}_i`,
  update: `${spec.trigger}_u`,
  nulls: `${spec.trigger}_n`,
  inPlace: `${spec.trigger}_p`,
});

function triggers(spec: ChangeLogSpec) {
  const n = names(spec);
  const trigger = (name: string, event: ReturnType<typeof sql>, when?: ReturnType<typeof sql>) =>
    sql`create trigger if not exists ${sql.id(name)} after ${event} on ${sql.table(spec.table)} ${when ? sql`when ${when} ` : sql``}begin ${insertLogged(spec)}; end`.compile(
      db(),
    );
  return [
    trigger(n.insert, sql`insert`),
    ...(spec.sources.length > 0
      ? [trigger(n.update, sql`update of ${idList(spec.sources.map((c) => c.name))}`)]
      : []),
    ...(spec.nullFills.length > 0 ? [trigger(n.nulls, sql`update`, undoesNullFill(spec))] : []),
    ...(spec.inPlace.length > 0
      ? [
          trigger(
            n.inPlace,
            sql`update of ${idList(spec.inPlace.map((c) => c.name))}`,
            changesInPlace(spec, (c) => sql`OLD.${sql.id(c.name)} is not NEW.${sql.id(c.name)}`),
          ),
        ]
      : []),
  ];
}

/**
 * SQLite: AFTER INSERT, AFTER UPDATE OF the source columns, and AFTER UPDATE ... WHEN a NULL fill is
 * undone, AFTER UPDATE OF an in-place column WHEN its value changed. SQLite has one writer at a time: the final catch-up takes the write lock first (its transaction
 * then holds it to commit), so the application's writers wait under their busy timeout.
 */
export const sqliteChangeLog: ChangeLogSql = {
  start(spec) {
    return [createLogTable(sqliteCompiler, spec, 'integer primary key'), ...triggers(spec)];
  },
  triggers,
  stop(spec) {
    const n = names(spec);
    return [n.insert, n.update, n.nulls, n.inPlace].map((name) =>
      sql`drop trigger if exists ${sql.id(name)}`.compile(db()),
    );
  },
  drop: (spec) => [sql`drop table if exists ${sql.table(spec.log)}`.compile(db())],
  probe: (spec) =>
    sql`select 1 from sqlite_master where type = 'trigger' and name = ${names(spec).insert}`.compile(db()),
  // a write that changes nothing but takes the write lock (waiting under the busy timeout), in case the
  // transaction began deferred
  lock: (spec) => [sql`delete from ${sql.table(spec.log)} where 0`.compile(db())],
  commit: () => [],
  unlock: () => [],
};
