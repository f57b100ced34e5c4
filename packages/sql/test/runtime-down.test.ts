import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { migrate, rollback } from '../src/runtime/index.ts';
import {
  ddl,
  resetJournal,
  settlePoolsAfterAll,
  tableNames,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

const history = () => [
  testMigration('0001_users', {
    up: () => [
      ddl('create table dn_users', 'create table dn_users (id integer primary key, name varchar(50))'),
    ],
    down: () => [{ ...ddl('drop table dn_users', 'drop table dn_users'), destructive: true, path: 'User' }],
  }),
  testMigration(
    '0002_email',
    {
      up: () => [
        ddl('add column dn_users.email', 'alter table dn_users add column email varchar(100)'),
        {
          description: 'backfill dn_users.email',
          transactional: false,
          statements: [],
          backfill: {
            model: 'User',
            table: 'dn_users',
            key: ['id'],
            read: { name: 'name' },
            set: { email: { transform: { model: 'User', field: 'email' } } },
          },
        },
      ],
      down: () => [
        {
          ...ddl('drop column dn_users.email', 'alter table dn_users drop column email'),
          destructive: true,
          path: 'User.email',
        },
      ],
    },
    { transforms: { User: { email: (old) => `${String(old.name)}@example.com` } } },
  ),
  testMigration('0003_posts', {
    up: () => [
      ddl('create table dn_posts', 'create table dn_posts (id integer primary key, title varchar(50))'),
    ],
    down: () => [ddl('drop table dn_posts', 'drop table dn_posts')],
  }),
];

describeSqlEngines('migrate: down', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    for (const t of ['dn_posts', 'dn_users']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
  });

  const snapshot = async () => {
    const { db } = ctx();
    const tables = (await db.introspection.getTables()).filter((t) => t.name.startsWith('dn_'));
    const schema = tables.map((t) => `${t.name}(${t.columns.map((c) => c.name).join(',')})`).sort();
    const users = tables.some((t) => t.name === 'dn_users')
      ? await db.selectFrom('dn_users').selectAll().orderBy('id').execute()
      : [];
    return { schema, users };
  };

  it('round-trips up, down to the first version, and up again to the same schema and data', async () => {
    const { db } = ctx();
    const migrations = history();
    expect(
      (await migrate(db, { migrations: migrations.slice(0, 1), compile: testCompile })).error,
    ).toBeUndefined();
    await db
      .insertInto('dn_users')
      .values([
        { id: 1, name: 'ada' },
        { id: 2, name: 'bob' },
      ])
      .execute();
    const up = await migrate(db, { migrations, compile: testCompile });
    expect(up.error).toBeUndefined();
    const latest = await snapshot();
    expect(latest.users.map((u) => u.email)).toEqual(['ada@example.com', 'bob@example.com']);

    const refused = await migrate(db, { migrations, compile: testCompile, to: '0001_users' });
    expect(refused.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
    expect(refused.error?.path).toBe('User.email');
    expect(await snapshot()).toEqual(latest);

    const down = await migrate(db, {
      migrations,
      compile: testCompile,
      to: '0001_users',
      acknowledgeDataLoss: true,
    });
    expect(down.error).toBeUndefined();
    expect(down.applied.map((r) => [r.id, r.direction, r.status])).toEqual([
      ['0003_posts', 'down', 'Success'],
      ['0002_email', 'down', 'Success'],
    ]);
    expect((await snapshot()).schema).toEqual(['dn_users(id,name)']);
    const journal = await db.selectFrom('evolve_migrations').select('id').execute();
    expect(journal.map((r) => r.id)).toEqual(['0001_users']);

    const again = await migrate(db, { migrations, compile: testCompile });
    expect(again.error).toBeUndefined();
    expect(await snapshot()).toEqual(latest);
  });

  it('rollback reverts only the newest migration by default, and everything with to "0"', async () => {
    const { db } = ctx();
    const migrations = history();
    await migrate(db, { migrations, compile: testCompile });
    const one = await rollback(db, { migrations, compile: testCompile });
    expect(one.applied.map((r) => r.id)).toEqual(['0003_posts']);
    expect(await tableNames(db)).not.toContain('dn_posts');
    const all = await rollback(db, { migrations, compile: testCompile, to: '0', acknowledgeDataLoss: true });
    expect(all.error).toBeUndefined();
    expect(all.applied.map((r) => r.id)).toEqual(['0002_email', '0001_users']);
    expect((await tableNames(db)).filter((t) => t.startsWith('dn_'))).toEqual([]);
  });

  it('accepts a down step the migration itself acknowledges', async () => {
    const { db } = ctx();
    const acknowledged = testMigration(
      '0001_users',
      {
        up: () => [ddl('create table dn_users', 'create table dn_users (id integer primary key)')],
        down: () => [
          { ...ddl('drop table dn_users', 'drop table dn_users'), destructive: true, path: 'User' },
        ],
      },
      { acknowledge: ['User'] },
    );
    await migrate(db, { migrations: [acknowledged], compile: testCompile });
    const result = await rollback(db, { migrations: [acknowledged], compile: testCompile, to: '0' });
    expect(result.error).toBeUndefined();
    expect(await tableNames(db)).not.toContain('dn_users');
  });
});
