import { defineModel, diff, emptySnapshot, isEvolveError, type Migration } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate, planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { driftOf, runScenario } from './compile-scenario.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

it('rejects hostile model, table and field names at definition time', () => {
  for (const name of ['x";drop table y;--', 'a b', 'a.b', "o'neil", '`x`']) {
    let error: unknown;
    try {
      defineModel(name, { shape: {} as never });
    } catch (e) {
      error = e;
    }
    expect(isEvolveError(error, 'INVALID_MODEL')).toBe(true);
  }
});

describeSqlEngines('identifiers', (ctx) => {
  it('quotes reserved words and mixed case in every statement it generates', async () => {
    const { db, dialect } = ctx();
    const group = model('group', { id: field(t.int()), order: field(t.string(20)) }, { table: 'group' });
    const before = snapshot(
      group,
      model(
        'order',
        { select: field(t.int()), from: field(t.string(20), { nullable: true }), Group: field(t.int()) },
        {
          table: 'order',
          primaryKey: ['select'],
          indexes: [{ name: 'order_from_idx', fields: ['from'], unique: false }],
        },
      ),
    );
    const after = snapshot(
      group,
      model(
        'order',
        {
          select: field(t.int()),
          where: field(t.string(20), { default: constant('x') }),
          Group: field(t.int()),
          User: field(t.string(20), { nullable: true }),
        },
        {
          table: 'order',
          primaryKey: ['select'],
          indexes: [{ name: 'order_User_key', fields: ['User'], unique: true }],
          foreignKeys: [
            {
              name: 'order_Group_fkey',
              fields: ['Group'],
              references: { model: 'group', fields: ['id'] },
              onDelete: 'restrict',
            },
          ],
        },
      ),
    );
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      renames: { 'order.from': 'where' },
      rows: { group: [{ id: 1, order: 'a' }], order: [{ select: 1, from: null, Group: 1 }] },
      down: true,
    });
    expect(await db.selectFrom('order').select(['select', 'where', 'Group']).execute()).toEqual([
      { select: 1, where: 'x', Group: 1 },
    ]);
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('escapes quotes, backticks and semicolons inside names instead of running them', async () => {
    const { db, dialect } = ctx();
    // names that definition-time validation would refuse, fed straight to the compiler
    const hostile = 'x"; drop table victim; --`\'';
    const after = snapshot(
      model(
        'Hostile',
        { id: field(t.int()), [hostile]: field(t.string(20), { default: constant("it's") }) },
        { table: hostile },
      ),
    );
    await sql`create table victim (id integer)`.execute(db);
    const steps = planSqlMigration(diff(emptySnapshot(), after), { dialect });
    await runCompiled(db, steps);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toContain('victim');
    expect(tables).toContain(hostile);
    await db.insertInto(hostile).values({ id: 1 }).execute();
    expect(await db.selectFrom(hostile).selectAll().execute()).toEqual([{ id: 1, [hostile]: "it's" }]);
  });

  it('gives two long fields sharing a 55-character prefix their own shadow columns: a type change with transforms keeps each value in its column', async () => {
    const { db, dialect } = ctx();
    const prefix = 'a_field_name_long_enough_to_share_a_fifty_five_char_pr';
    const [one, two] = [`${prefix}one`, `${prefix}two`];
    const shape = (type: ReturnType<typeof t.int>) => ({
      id: field(t.int()),
      [one]: field(type),
      [two]: field(type),
    });
    const before = snapshot(model('Wide', shape(t.string(20)), { table: 'wide' }));
    const after = snapshot(model('Wide', shape(t.int()), { table: 'wide' }));
    const create = diff(emptySnapshot(), before);
    const change = diff(before, after);
    const migrations: Migration[] = [
      { id: '0001_wide', ...create },
      {
        id: '0002_ints',
        ...change,
        transforms: { Wide: { [one]: (old) => Number(old[one]), [two]: (old) => Number(old[two]) } },
        acknowledge: ['Wide'],
      },
    ];
    const shadows = planSqlMigration(change, { dialect, before, transforms: migrations[1]!.transforms ?? {} })
      .flatMap((s) => s.statements.map((q) => q.sql.match(/_evolve_a_field[A-Za-z0-9_]*/)?.[0]))
      .filter((name): name is string => name !== undefined);
    expect(new Set(shadows).size).toBe(2);
    for (const name of shadows) expect(name.length).toBeLessThanOrEqual(63);
    await sql`drop table if exists wide`.execute(db);
    await sql`drop table if exists evolve_migration_steps`.execute(db);
    await sql`drop table if exists evolve_migrations`.execute(db);
    expect((await migrate(db, { migrations: migrations.slice(0, 1) })).error).toBeUndefined();
    await db
      .insertInto('wide')
      .values({ id: 1, [one]: '11', [two]: '22' })
      .execute();
    expect((await migrate(db, { migrations })).error).toBeUndefined();
    expect(await db.selectFrom('wide').select([one, two]).execute()).toEqual([{ [one]: 11, [two]: 22 }]);
  });

  it('names the primary key of a table with a 63-character name within every limit (MySQL refuses longer names)', async () => {
    const { db, dialect } = ctx();
    const table = `t${'x'.repeat(62)}`;
    const after = snapshot(
      model('Long', { id: field(t.int()), n: field(t.int(), { nullable: true }) }, { table }),
    );
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
    const steps = planSqlMigration(diff(emptySnapshot(), after), { dialect });
    const names = steps.flatMap((s) =>
      s.statements.map((q) => q.sql.match(/constraint [`"]([^`"]+)[`"] primary key/)?.[1]),
    );
    for (const name of names.filter(Boolean)) expect(name!.length).toBeLessThanOrEqual(63);
    await runCompiled(db, steps);
    await db.insertInto(table).values({ id: 1 }).execute();
    expect(await db.selectFrom(table).select('id').execute()).toEqual([{ id: 1 }]);
  });
});
