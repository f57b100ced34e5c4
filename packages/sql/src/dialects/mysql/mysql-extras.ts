import { type Kysely, sql } from 'kysely';
import { enumCheckValues } from '../../drift/enum-check-values.ts';
import { type LiveExtras, noExtras, noteTriggers } from '../../pull/live-extras.ts';

/** MySQL/MariaDB: json columns, auto-increment and generated columns, unmodelled indexes, triggers, CHECKs. */
export async function mysqlExtras(db: Kysely<any>): Promise<LiveExtras> {
  const extras = noExtras();
  const columns = await sql<{ t: string; c: string; extra: string; type: string }>`
    select TABLE_NAME as t, COLUMN_NAME as c, EXTRA as extra, DATA_TYPE as type from information_schema.COLUMNS
    where TABLE_SCHEMA = database() and (EXTRA <> '' or DATA_TYPE = 'json')`.execute(db);
  for (const row of columns.rows) {
    const extra = String(row.extra).toLowerCase();
    if (String(row.type).toLowerCase() === 'json') extras.jsonColumns.add(`${row.t}.${row.c}`);
    if (extra.includes('auto_increment')) extras.generatedKeys.add(`${row.t}.${row.c}`);
    else if (/\b(virtual|stored|persistent)\b/.test(extra)) {
      extras.notes.push({
        table: row.t,
        item: row.c,
        kind: 'approximated',
        reason: `generated column (${row.extra}): modelled as a plain column`,
      });
    } else if (extra.includes('on update')) {
      extras.notes.push({
        table: row.t,
        item: row.c,
        kind: 'approximated',
        reason: `${row.extra}: the models hold no ON UPDATE value`,
      });
    }
  }
  const indexes = await sql<{ t: string; i: string; type: string; sub: unknown; c: string | null }>`
    select TABLE_NAME as t, INDEX_NAME as i, INDEX_TYPE as type, SUB_PART as sub, COLUMN_NAME as c
    from information_schema.STATISTICS
    where TABLE_SCHEMA = database() and INDEX_NAME <> 'PRIMARY'
      and (INDEX_TYPE <> 'BTREE' or SUB_PART is not null or COLUMN_NAME is null)`.execute(db);
  for (const row of indexes.rows) {
    if (extras.unmodelledIndexes.has(`${row.t}.${row.i}`)) continue;
    extras.unmodelledIndexes.add(`${row.t}.${row.i}`);
    const what =
      row.type !== 'BTREE'
        ? `a ${String(row.type).toLowerCase()} index`
        : row.c === null
          ? 'an expression index'
          : 'a prefix index (a length on a column)';
    extras.notes.push({
      table: row.t,
      item: row.i,
      kind: 'skipped',
      reason: `${what}: the models describe plain column indexes only`,
    });
  }
  // as the drift introspection reads them: MariaDB names the table, MySQL 8 needs TABLE_CONSTRAINTS for it
  const checks = await sql<Record<string, unknown>>`
    select * from information_schema.CHECK_CONSTRAINTS where CONSTRAINT_SCHEMA = database()`.execute(db);
  const owners = new Map(
    (
      await sql<{ t: string; name: string }>`
        select TABLE_NAME as t, CONSTRAINT_NAME as name from information_schema.TABLE_CONSTRAINTS
        where TABLE_SCHEMA = database() and CONSTRAINT_TYPE = 'CHECK'`.execute(db)
    ).rows.map((r) => [r.name, r.t]),
  );
  for (const row of checks.rows) {
    const name = String(row.CONSTRAINT_NAME);
    const table = String(row.TABLE_NAME ?? owners.get(name));
    const clause = String(row.CHECK_CLAUSE);
    const json = /^\s*json_valid\s*\(\s*`((?:[^`]|``)+)`\s*\)\s*$/i.exec(clause);
    if (json) {
      extras.jsonColumns.add(`${table}.${(json[1] as string).replace(/``/g, '`')}`);
      continue;
    }
    const named = new Set([...clause.matchAll(/`((?:[^`]|``)+)`/g)].map((m) => m[1]));
    if (named.size === 1 && enumCheckValues(clause)) continue;
    extras.notes.push({
      table,
      item: name,
      kind: 'skipped',
      reason: `CHECK (${clause}) is not an enum list: the models cannot express it`,
    });
  }
  const updates = await sql<{ t: string; name: string; rule: string }>`
    select TABLE_NAME as t, CONSTRAINT_NAME as name, UPDATE_RULE as rule
    from information_schema.REFERENTIAL_CONSTRAINTS
    where CONSTRAINT_SCHEMA = database() and UPDATE_RULE not in ('NO ACTION', 'RESTRICT')`.execute(db);
  for (const row of updates.rows) {
    extras.notes.push({
      table: row.t,
      item: row.name,
      kind: 'skipped',
      reason: `foreign key ${row.name} has ON UPDATE ${row.rule}: the models keep ON DELETE only`,
    });
  }
  const triggers = await sql<{ t: string; name: string }>`
    select EVENT_OBJECT_TABLE as t, TRIGGER_NAME as name from information_schema.TRIGGERS
    where TRIGGER_SCHEMA = database()`.execute(db);
  noteTriggers(extras, triggers.rows);
  const views = await sql<{ t: string }>`
    select TABLE_NAME as t from information_schema.VIEWS where TABLE_SCHEMA = database()`.execute(db);
  for (const row of views.rows) {
    extras.notes.push({ table: row.t, kind: 'skipped', reason: 'a view: the models hold tables only' });
  }
  return extras;
}
