import { type Kysely, sql } from 'kysely';
import { type LiveExtras, noExtras } from '../../pull/live-extras.ts';
import { sqliteEnumChecks } from './sqlite-enum-checks.ts';

/** SQLite: AUTOINCREMENT keys, generated columns, partial and expression indexes, triggers, views, CHECKs. */
export async function sqliteExtras(db: Kysely<any>): Promise<LiveExtras> {
  const extras = noExtras();
  const objects = await sql<{ type: string; name: string; t: string; sql: string | null }>`
    select type, name, tbl_name as t, sql from sqlite_master where name not like 'sqlite_%'`.execute(db);
  for (const row of objects.rows) {
    if (row.type === 'trigger' || row.type === 'view') {
      extras.notes.push({
        table: row.t,
        ...(row.type === 'trigger' ? { item: row.name } : {}),
        kind: 'skipped',
        reason:
          row.type === 'trigger'
            ? 'a trigger: the models hold no triggers (it stays in the database)'
            : 'a view: the models hold tables only',
      });
    }
    if (row.type !== 'table') continue;
    const text = row.sql ?? '';
    const key = /"?([A-Za-z_][A-Za-z0-9_]*)"?\s+integer\s+primary\s+key\s+autoincrement/i.exec(text);
    if (key) extras.generatedKeys.add(`${row.t}.${key[1]}`);
    const hidden = await sql<{ name: string; hidden: number }>`
      select name, hidden from pragma_table_xinfo(${row.name}) where hidden in (2, 3)`.execute(db);
    for (const column of hidden.rows) {
      extras.notes.push({
        table: row.t,
        item: column.name,
        kind: 'skipped',
        reason: 'a generated column: the models cannot express it (it stays in the database)',
      });
    }
    // an enum's CHECK is `"column" in ('a', ...)`: any other CHECK is the user's
    const { enums: enumChecks, checks } = sqliteEnumChecks(text);
    const enums = enumChecks.size;
    if (checks > enums) {
      extras.notes.push({
        table: row.t,
        kind: 'skipped',
        reason: `${checks - enums} CHECK constraint(s) other than enum lists: the models cannot express them`,
      });
    }
    const indexes = await sql<{ name: string; partial: number }>`
      select name, partial from pragma_index_list(${row.name})`.execute(db);
    for (const index of indexes.rows) {
      const info = await sql<{ cid: number }>`select cid from pragma_index_info(${index.name})`.execute(db);
      const expression = info.rows.some((c) => c.cid < 0);
      if (!index.partial && !expression) continue;
      extras.unmodelledIndexes.add(`${row.t}.${index.name}`);
      extras.notes.push({
        table: row.t,
        item: index.name,
        kind: 'skipped',
        reason: `${index.partial ? 'a partial index (WHERE)' : 'an expression index'}: the models describe plain column indexes only`,
      });
    }
    const updates = await sql<{ id: number; on_update: string }>`
      select distinct id, on_update from pragma_foreign_key_list(${row.name}) where on_update <> 'NO ACTION'`.execute(
      db,
    );
    for (const fk of updates.rows) {
      extras.notes.push({
        table: row.t,
        kind: 'skipped',
        reason: `a foreign key has ON UPDATE ${fk.on_update}: the models keep ON DELETE only`,
      });
    }
  }
  return extras;
}
