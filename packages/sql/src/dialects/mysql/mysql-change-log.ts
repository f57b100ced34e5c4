import { sql } from 'kysely';
import type { ChangeLogSpec, ChangeLogSql } from '../shared/change-log-sql.ts';
import { createLogTable, insertLogged, undoesNullFill } from '../shared/change-log-table.ts';
import { mysqlDialect } from './mysql-dialect.ts';

const db = () => mysqlDialect.db;
const names = (spec: ChangeLogSpec) => ({ insert: `${spec.trigger}_i`, update: `${spec.trigger}_u` });
/** The alias the runner's batch writes give the table (`update <table> as t join ...`). */
const WRITE_ALIAS = 't';

/**
 * MySQL / MariaDB: AFTER INSERT and AFTER UPDATE triggers (no UPDATE OF here: the update trigger compares
 * the source columns byte for byte, so a case-only change under a case-insensitive collation still counts).
 * The final catch-up holds LOCK TABLES ... WRITE on the table (and the alias the batch writes use), which
 * MariaDB and MySQL keep across the ALTER TABLE statements that follow; UNLOCK TABLES ends it.
 */
export const mysqlChangeLog: ChangeLogSql = {
  start(spec) {
    const n = names(spec);
    const changed = spec.sources.map(
      (c) => sql`not (cast(OLD.${sql.id(c)} as binary) <=> cast(NEW.${sql.id(c)} as binary))`,
    );
    const conditions = [...changed, ...(spec.nullFills.length > 0 ? [undoesNullFill(spec)] : [])];
    const keys = spec.key.map((k) => sql`NEW.${sql.id(k.name)}`);
    const statements = [
      createLogTable(mysqlDialect, spec, 'bigint auto_increment primary key'),
      sql`drop trigger if exists ${sql.id(n.insert)}`.compile(db()),
      sql`create trigger ${sql.id(n.insert)} after insert on ${sql.table(spec.table)} for each row ${insertLogged(spec)}`.compile(
        db(),
      ),
      sql`drop trigger if exists ${sql.id(n.update)}`.compile(db()),
    ];
    if (conditions.length > 0) {
      statements.push(
        sql`create trigger ${sql.id(n.update)} after update on ${sql.table(spec.table)} for each row insert into ${sql.table(spec.log)} (${sql.join(spec.key.map((k) => sql.id(k.name)))}) select ${sql.join(keys)} from dual where ${sql.join(conditions, sql` or `)}`.compile(
          db(),
        ),
      );
    }
    return statements;
  },
  stop(spec) {
    const n = names(spec);
    return [
      sql`drop trigger if exists ${sql.id(n.insert)}`.compile(db()),
      sql`drop trigger if exists ${sql.id(n.update)}`.compile(db()),
    ];
  },
  drop: (spec) => [sql`drop table if exists ${sql.table(spec.log)}`.compile(db())],
  probe: (spec) =>
    sql`select 1 from information_schema.triggers where trigger_schema = database() and trigger_name = ${names(spec).insert}`.compile(
      db(),
    ),
  lock(spec) {
    // The log is not named: LOCK TABLES locks the tables a locked table's triggers write by itself, and
    // naming it too makes MariaDB refuse the triggers' inserts (1442) once its table cache holds the table
    // from before the triggers. Once the triggers are dropped the log is locked for reading only: it is
    // dropped after UNLOCK TABLES.
    const alias =
      spec.table === WRITE_ALIAS ? sql`` : sql`, ${sql.table(spec.table)} as ${sql.id(WRITE_ALIAS)} write`;
    return [sql`lock tables ${sql.table(spec.table)} write${alias}`.compile(db())];
  },
  unlock: () => [sql`unlock tables`.compile(db())],
};
