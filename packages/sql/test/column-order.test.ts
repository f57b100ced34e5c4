import { defineModel, defineSchema, diff, emptySnapshot, type Snapshot, toSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';

/** The table's columns in the order the database's catalog lists them. */
async function catalogColumns(db: Kysely<any>, dialect: string, table: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{
      name: string;
    }>`select name from pragma_table_info(${table}) order by cid`.execute(db);
    return rows.map((r) => r.name);
  }
  const schema = dialect === 'mysql' ? sql`database()` : sql`current_schema()`;
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = ${schema} and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.map((r) => r.name);
}

const thing = (table: string, shape: z.ZodRawShape) =>
  toSnapshot(defineSchema([defineModel('Thing', { table, primaryKey: 'mid', shape })]));

describeSqlEngines('column order', (ctx) => {
  it('creates columns in declaration order, appends added fields in declaration order, and keeps the order through a change that rebuilds on SQLite', async () => {
    const { db, dialect } = ctx();
    const table = 'co_thing';
    const v1 = thing(
      table,
      z.object({ zeta: z.string().max(20), alpha: z.number().int(), mid: z.number().int() }).shape,
    );
    const v2 = thing(
      table,
      z.object({
        zeta: z.string().max(20),
        alpha: z.number().int(),
        mid: z.number().int(),
        omega: z.boolean().optional(),
        beta: z.string().max(10).optional(),
      }).shape,
    );
    // alpha becomes nullable: a table rebuild on SQLite
    const v3 = thing(
      table,
      z.object({
        zeta: z.string().max(20),
        alpha: z.number().int().nullable(),
        mid: z.number().int(),
        omega: z.boolean().optional(),
        beta: z.string().max(10).optional(),
      }).shape,
    );
    const step = async (before: Snapshot, after: Snapshot) =>
      runCompiled(db, planSqlMigration(diff(before, after), { dialect, before }));

    await step(emptySnapshot(), v1);
    expect(await catalogColumns(db, dialect, table)).toEqual(['zeta', 'alpha', 'mid']);
    await db.insertInto(table).values({ zeta: 'z', alpha: 1, mid: 7 }).execute();

    await step(v1, v2);
    expect(await catalogColumns(db, dialect, table)).toEqual(['zeta', 'alpha', 'mid', 'omega', 'beta']);

    await step(v2, v3);
    expect(await catalogColumns(db, dialect, table)).toEqual(['zeta', 'alpha', 'mid', 'omega', 'beta']);
    expect(await db.selectFrom(table).select(['zeta', 'alpha', 'mid']).execute()).toEqual([
      { zeta: 'z', alpha: 1, mid: 7 },
    ]);
  });
});
