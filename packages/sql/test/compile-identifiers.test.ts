import { defineModel, diff, emptySnapshot, isEvolveError } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { planSqlMigration } from '../src/index.ts';
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
});
