import { sql } from 'kysely';
import { JOURNAL_TABLE, STEPS_TABLE } from '../../runtime/journal.ts';
import { LOCK_TABLE } from '../../runtime/lock-table.ts';
import type { ChangeLogSpec, ChangeLogSql } from '../shared/change-log-sql.ts';
import { changesInPlace, createLogTable, insertLogged, undoesNullFill } from '../shared/change-log-table.ts';
import { mysqlCompiler } from './mysql-compiler.ts';

const db = () => mysqlCompiler.db;
const names = (spec: ChangeLogSpec) => ({ insert: `${spec.trigger}_i`, update: `${spec.trigger}_u` });
/** The alias the runner's batch writes give the table (`update <table> as t join ...`). */
const WRITE_ALIAS = 't';

function triggers(spec: ChangeLogSpec) {
  const n = names(spec);
  // Runs for every row a backfill batch writes, so it decides cheaply: a write that changed a new column is
  // the migration's own (the old code never writes one); otherwise a write that changed a source column is
  // logged. Strings compare byte for byte, so that a change of case or of trailing spaces counts under any
  // collation.
  const same = (c: { name: string; text: boolean }) =>
    c.text
      ? sql`binary OLD.${sql.id(c.name)} <=> binary NEW.${sql.id(c.name)}`
      : sql`OLD.${sql.id(c.name)} <=> NEW.${sql.id(c.name)}`;
  const own = spec.fills.map((c) => same({ name: c, text: false }));
  const changed =
    spec.fills.length > 0 && spec.sources.length > 0
      ? [sql`(${sql.join(own, sql` and `)} and not (${sql.join(spec.sources.map(same), sql` and `)}))`]
      : [];
  const inPlace = spec.inPlace.length > 0 ? [changesInPlace(spec, (c) => sql`not (${same(c)})`)] : [];
  const conditions = [...changed, ...(spec.nullFills.length > 0 ? [undoesNullFill(spec)] : []), ...inPlace];
  const statements = [
    sql`drop trigger if exists ${sql.id(n.insert)}`.compile(db()),
    sql`create trigger ${sql.id(n.insert)} after insert on ${sql.table(spec.table)} for each row ${insertLogged(spec)}`.compile(
      db(),
    ),
    sql`drop trigger if exists ${sql.id(n.update)}`.compile(db()),
  ];
  if (conditions.length > 0) {
    statements.push(
      sql`create trigger ${sql.id(n.update)} after update on ${sql.table(spec.table)} for each row begin if ${sql.join(conditions, sql` or `)} then ${insertLogged(spec)}; end if; end`.compile(
        db(),
      ),
    );
  }
  return statements;
}

/**
 * MySQL / MariaDB: AFTER INSERT and AFTER UPDATE triggers (no UPDATE OF here: the update trigger compares
 * the columns itself, in one IF around the insert).
 * A catch-up holds LOCK TABLES ... WRITE on the table (and the alias the batch writes use) and the log,
 * which MariaDB and MySQL keep across the ALTER TABLE statements that follow; UNLOCK TABLES ends it. Under
 * it the runner drops the triggers before it writes the table (MariaDB may refuse a trigger's insert into
 * a table of the same LOCK TABLES with error 1442) and creates them again when the log goes on.
 */
export const mysqlChangeLog: ChangeLogSql = {
  start(spec) {
    return [createLogTable(mysqlCompiler, spec, 'bigint auto_increment primary key'), ...triggers(spec)];
  },
  triggers,
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
    const alias =
      spec.table === WRITE_ALIAS ? sql`` : sql`, ${sql.table(spec.table)} as ${sql.id(WRITE_ALIAS)} write`;
    // evolve's progress and lock tables too: the runner records each DDL statement before it runs, fenced
    // by its lease, and under LOCK TABLES a session reaches only the tables it locked
    // (and the journal: the catch-up at a migration's end records the migration before it unlocks).
    // The lock table only for reading: other instances' polls of it never wait for the catch-up, and
    // the fence reads the row that nobody can change meanwhile (runtime/lease.ts, readLockedLease).
    const own = sql.join([
      ...[STEPS_TABLE, JOURNAL_TABLE].map((t) => sql`${sql.table(t)} write`),
      sql`${sql.table(LOCK_TABLE)} read`,
    ]);
    const children = spec.children.map((c) => sql`, ${sql.table(c)} read`);
    return [
      // MySQL's way to make the writes under LOCK TABLES one transaction (START TRANSACTION would release
      // the locks): a drain's recompute and the deletion of its log entries commit together, or neither
      sql`set autocommit = 0`.compile(db()),
      sql`lock tables ${sql.table(spec.table)} write${alias}${sql.join(children, sql``)}, ${sql.table(spec.log)} write, ${own}`.compile(
        db(),
      ),
    ];
  },
  commit: () => [sql`commit`.compile(db())],
  unlock: () => [
    sql`rollback`.compile(db()),
    sql`set autocommit = 1`.compile(db()),
    sql`unlock tables`.compile(db()),
  ],
};
