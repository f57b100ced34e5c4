import { diff, emptySnapshot, type Migration, type Snapshot, type Transforms } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { compileMigration, type SqlDialect } from '../src/index.ts';
import { migrate, rollback } from '../src/runtime/index.ts';
import { driftOf } from './compile-scenario.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

// SQLite plans without needless work (issue 13, item 5): no rebuild for a change SQLite stores alike, one
// rebuild per table per migration. Each scenario runs through `migrate` on every engine and checks rows
// and drift; the rebuild counts are SQLite's.

/** The two migrations of a scenario: create `before`, then change it to `after`. */
function migrations(
  before: Snapshot,
  after: Snapshot,
  extra: { transforms?: Transforms; acknowledge?: string[] } = {},
): Migration[] {
  const create = diff(emptySnapshot(), before);
  const change = diff(before, after);
  return [
    { id: '0001_create', ...create },
    { id: '0002_change', ...change, ...extra },
  ];
}

/** The tables each compiled step of the change rebuilds on a dialect. */
function rebuilds(list: Migration[], before: Snapshot, dialect: SqlDialect): string[] {
  const steps = compileMigration(list[1] as Migration, { dialect, before, direction: 'up' });
  return steps.flatMap((s) => /^rebuild table (\S+)/.exec(s.description)?.[1] ?? []);
}

async function reset(db: Kysely<any>, tables: string[]): Promise<void> {
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
  await resetJournal(db);
}

describeSqlEngines('sqlite plans without needless work', (ctx) => {
  settlePoolsAfterAll(ctx);

  it('changes a text length limit without a rebuild: SQLite stores max(200) and max(300) alike', async () => {
    const { db, dialect } = ctx();
    await reset(db, ['Ro_note']);
    const before = snapshot(
      model(
        'RoNote',
        { id: field(t.int()), title: field(t.string(200)), tag: field(t.string(40)) },
        { table: 'Ro_note' },
      ),
    );
    const after = snapshot(
      model(
        'RoNote',
        { id: field(t.int()), title: field(t.string(300)), tag: field(t.string(20)) },
        { table: 'Ro_note' },
      ),
    );
    const list = migrations(before, after, { acknowledge: ['RoNote.tag'] });
    if (dialect === 'sqlite') {
      expect(compileMigration(list[1] as Migration, { dialect, before, direction: 'up' })).toEqual([]);
    }
    const first = await migrate(db, { migrations: list, to: '0001_create' });
    expect(first.error).toBeUndefined();
    await db
      .insertInto('Ro_note')
      .values({ id: 1, title: 'a'.repeat(200), tag: 'short' })
      .execute();
    const result = await migrate(db, { migrations: list });
    expect(result.error).toBeUndefined();
    await db
      .insertInto('Ro_note')
      .values({ id: 2, title: 'b'.repeat(300), tag: 'x' })
      .execute();
    expect(await db.selectFrom('Ro_note').selectAll().orderBy('id').execute()).toEqual([
      { id: 1, title: 'a'.repeat(200), tag: 'short' },
      { id: 2, title: 'b'.repeat(300), tag: 'x' },
    ]);
    expect(await driftOf(db, after, before)).toEqual([]);
  });

  it('rebuilds a table once for a default, a dropped NOT NULL and a required column filled by a transform', async () => {
    const { db, dialect } = ctx();
    await reset(db, ['Ro_user']);
    const before = snapshot(
      model(
        'RoUser',
        {
          id: field(t.int()),
          name: field(t.string(50)),
          tier: field(t.string(10), { default: constant('basic') }),
          bio: field(t.string(100)),
        },
        { table: 'Ro_user' },
      ),
    );
    const after = snapshot(
      model(
        'RoUser',
        {
          id: field(t.int()),
          name: field(t.string(50)),
          tier: field(t.string(10), { default: constant('standard') }),
          bio: field(t.string(100), { nullable: true }),
          initial: field(t.string(1)),
        },
        { table: 'Ro_user' },
      ),
    );
    const transforms: Transforms = { RoUser: { initial: (old) => String(old.name).slice(0, 1) } };
    const list = migrations(before, after, { transforms });
    if (dialect === 'sqlite') expect(rebuilds(list, before, dialect)).toEqual(['Ro_user']);
    expect((await migrate(db, { migrations: list, to: '0001_create' })).error).toBeUndefined();
    // one row at a time: a multi-row insert writes NULL, not the default, for a missing column on SQLite
    await db.insertInto('Ro_user').values({ id: 1, name: 'Ada', bio: 'maths' }).execute();
    await db.insertInto('Ro_user').values({ id: 2, name: 'Grace', tier: 'gold', bio: 'navy' }).execute();
    const result = await migrate(db, { migrations: list });
    expect(result.error).toBeUndefined();
    await db.insertInto('Ro_user').values({ id: 3, name: 'Alan', bio: null, initial: 'A' }).execute();
    expect(await db.selectFrom('Ro_user').selectAll().orderBy('id').execute()).toEqual([
      { id: 1, name: 'Ada', tier: 'basic', bio: 'maths', initial: 'A' },
      { id: 2, name: 'Grace', tier: 'gold', bio: 'navy', initial: 'G' },
      { id: 3, name: 'Alan', tier: 'standard', bio: null, initial: 'A' },
    ]);
    expect(await driftOf(db, after, before)).toEqual([]);
  });

  it('rebuilds a table once for two foreign keys added to it, and still rejects orphans', async () => {
    const { db, dialect } = ctx();
    await reset(db, ['Ro_order', 'Ro_customer', 'Ro_shop']);
    const parents = [
      model('RoCustomer', { id: field(t.int()) }, { table: 'Ro_customer' }),
      model('RoShop', { id: field(t.int()) }, { table: 'Ro_shop' }),
    ];
    const order = { id: field(t.int()), customerId: field(t.int()), shopId: field(t.int()) };
    const before = snapshot(...parents, model('RoOrder', order, { table: 'Ro_order' }));
    const fk = (name: string, fields: string[], target: string) => ({
      name,
      fields,
      references: { model: target, fields: ['id'] },
      onDelete: 'cascade' as const,
    });
    const after = snapshot(
      ...parents,
      model('RoOrder', order, {
        table: 'Ro_order',
        foreignKeys: [
          fk('Ro_order_customerId_fkey', ['customerId'], 'RoCustomer'),
          fk('Ro_order_shopId_fkey', ['shopId'], 'RoShop'),
        ],
      }),
    );
    const list = migrations(before, after);
    if (dialect === 'sqlite') expect(rebuilds(list, before, dialect)).toEqual(['Ro_order']);
    expect((await migrate(db, { migrations: list, to: '0001_create' })).error).toBeUndefined();
    await db.insertInto('Ro_customer').values({ id: 1 }).execute();
    await db.insertInto('Ro_shop').values({ id: 7 }).execute();
    await db.insertInto('Ro_order').values({ id: 1, customerId: 1, shopId: 7 }).execute();
    expect((await migrate(db, { migrations: list })).error).toBeUndefined();
    expect(await db.selectFrom('Ro_order').selectAll().execute()).toEqual([
      { id: 1, customerId: 1, shopId: 7 },
    ]);
    await expect(
      db.insertInto('Ro_order').values({ id: 2, customerId: 1, shopId: 99 }).execute(),
    ).rejects.toThrow();
    expect(await driftOf(db, after, before)).toEqual([]);
  });

  it('creates a new table with its foreign keys in one statement: no rebuild of a table the migration creates', async () => {
    const { db, dialect } = ctx();
    await reset(db, ['Ro_line', 'Ro_cart']);
    const after = snapshot(
      model('RoCart', { id: field(t.int()) }, { table: 'Ro_cart' }),
      model(
        'RoLine',
        { id: field(t.int()), cartId: field(t.int()) },
        {
          table: 'Ro_line',
          foreignKeys: [
            {
              name: 'Ro_line_cartId_fkey',
              fields: ['cartId'],
              references: { model: 'RoCart', fields: ['id'] },
              onDelete: 'cascade',
            },
          ],
        },
      ),
    );
    const create = diff(emptySnapshot(), after);
    const migration: Migration = {
      id: '0001_create',
      ...create,
    };
    if (dialect === 'sqlite') {
      const steps = compileMigration(migration, { dialect, before: emptySnapshot(), direction: 'up' });
      expect(steps.map((s) => s.description)).toEqual([
        'create table Ro_cart',
        'create table Ro_line with foreign key Ro_line_cartId_fkey',
      ]);
    }
    expect((await migrate(db, { migrations: [migration] })).error).toBeUndefined();
    await db.insertInto('Ro_cart').values({ id: 1 }).execute();
    await db.insertInto('Ro_line').values({ id: 1, cartId: 1 }).execute();
    await expect(db.insertInto('Ro_line').values({ id: 2, cartId: 9 }).execute()).rejects.toThrow();
    await db.deleteFrom('Ro_cart').execute();
    expect(await db.selectFrom('Ro_line').selectAll().execute()).toEqual([]);
    expect(await driftOf(db, after)).toEqual([]);

    // going down, the tables are dropped: no rebuild of Ro_line first to drop its key
    if (dialect === 'sqlite') {
      const down = compileMigration(migration, { dialect, before: emptySnapshot(), direction: 'down' });
      expect(down.map((s) => s.description)).toEqual([
        'drop table Ro_line (destroys its rows)',
        'drop table Ro_cart (destroys its rows)',
      ]);
    }
    await db.insertInto('Ro_cart').values({ id: 2 }).execute();
    await db.insertInto('Ro_line').values({ id: 3, cartId: 2 }).execute();
    const reverted = await rollback(db, { migrations: [migration], to: '0', acknowledgeDataLoss: true });
    expect(reverted.error).toBeUndefined();
    const left = (await db.introspection.getTables()).map((t) => t.name);
    expect(left).not.toContain('Ro_line');
    expect(left).not.toContain('Ro_cart');
  });

  it('keeps two rebuilds where merging would change the result: a NOT NULL dropped before a backfill that writes NULL', async () => {
    const { db, dialect } = ctx();
    await reset(db, ['Ro_task']);
    const before = snapshot(
      model(
        'RoTask',
        { id: field(t.int()), state: field(t.enum('open', 'stale', 'done')), title: field(t.string(40)) },
        { table: 'Ro_task' },
      ),
    );
    const after = snapshot(
      model(
        'RoTask',
        {
          id: field(t.int()),
          state: field(t.enum('open', 'done'), { nullable: true }),
          title: field(t.string(40)),
          slug: field(t.string(40)),
        },
        { table: 'Ro_task' },
      ),
    );
    const transforms: Transforms = {
      RoTask: {
        // a stale task loses its state: the backfill writes NULL, which needs the NOT NULL gone first
        state: (old) => (old.state === 'stale' ? null : old.state),
        slug: (old) => String(old.title).toLowerCase(),
      },
    };
    const list = migrations(before, after, { transforms, acknowledge: ['RoTask.state'] });
    if (dialect === 'sqlite') expect(rebuilds(list, before, dialect)).toEqual(['Ro_task', 'Ro_task']);
    expect((await migrate(db, { migrations: list, to: '0001_create' })).error).toBeUndefined();
    await db.insertInto('Ro_task').values({ id: 1, state: 'stale', title: 'Old' }).execute();
    await db.insertInto('Ro_task').values({ id: 2, state: 'done', title: 'New' }).execute();
    const result = await migrate(db, { migrations: list });
    expect(result.error).toBeUndefined();
    expect(await db.selectFrom('Ro_task').selectAll().orderBy('id').execute()).toEqual([
      { id: 1, state: null, title: 'Old', slug: 'old' },
      { id: 2, state: 'done', title: 'New', slug: 'new' },
    ]);
    expect(await driftOf(db, after, before)).toEqual([]);
  });
});
