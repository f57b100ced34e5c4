import { todo } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { CompiledQuery, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { migrate, status } from '../src/runtime/index.ts';
import {
  createTableMigration,
  ddl,
  resetJournal,
  settlePoolsAfterAll,
  tableNames,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

describeSqlEngines('migrate: journal, checksums, order', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    for (const t of ['j_a', 'j_b', 'j_c', 'j_d']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
  });

  it('applies pending migrations in order and records each with its checksum', async () => {
    const { db } = ctx();
    const migrations = [createTableMigration('0001_a', 'j_a'), createTableMigration('0002_b', 'j_b')];
    const result = await migrate(db, { migrations, compile: testCompile });
    expect(result.error).toBeUndefined();
    expect(result.applied.map((r) => [r.id, r.status])).toEqual([
      ['0001_a', 'Success'],
      ['0002_b', 'Success'],
    ]);
    const journal = await db.selectFrom('evolve_migrations').selectAll().orderBy('id').execute();
    expect(journal.map((r) => r.id)).toEqual(['0001_a', '0002_b']);
    expect(journal[0]?.checksum).toMatch(/^c2:[A-Za-z0-9+/]{43}=$/);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['j_a', 'j_b']));
  });

  it('answers "nothing to do" with one query and without the lock', async () => {
    const { db } = ctx();
    const migrations = [createTableMigration('0001_a', 'j_a')];
    await migrate(db, { migrations, compile: testCompile });
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const again = await migrate(counted, { migrations, compile: testCompile });
    expect(again).toEqual({ applied: [] });
    expect(queries).toBeLessThanOrEqual(2);
  });

  it('refuses an applied migration whose checksum changed, naming it, and applies nothing', async () => {
    const { db } = ctx();
    await migrate(db, { migrations: [createTableMigration('0001_a', 'j_a')], compile: testCompile });
    const edited = testMigration('0001_a', { up: () => [] }, { revision: 2 });
    const result = await migrate(db, {
      migrations: [edited, createTableMigration('0002_b', 'j_b')],
      compile: testCompile,
    });
    expect(result.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(result.error?.path).toBe('0001_a');
    expect(result.applied).toEqual([]);
    expect(await tableNames(db)).not.toContain('j_b');
  });

  it('refuses a migration merged late with an older id unless allowOutOfOrder, then reports it', async () => {
    const { db } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const c = createTableMigration('0003_c', 'j_c');
    await migrate(db, { migrations: [a, c], compile: testCompile });
    const b = createTableMigration('0002_b', 'j_b');
    const refused = await migrate(db, { migrations: [a, b, c], compile: testCompile });
    expect(refused.error?.code).toBe('OUT_OF_ORDER');
    expect(refused.error?.path).toBe('0002_b');
    expect(await tableNames(db)).not.toContain('j_b');
    const allowed = await migrate(db, { migrations: [a, b, c], compile: testCompile, allowOutOfOrder: true });
    expect(allowed.error).toBeUndefined();
    expect(allowed.applied).toEqual([
      expect.objectContaining({ id: '0002_b', status: 'Success', outOfOrder: true }),
    ]);
  });

  it('refuses to run when the database journal is ahead of the code', async () => {
    const { db } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const b = createTableMigration('0002_b', 'j_b');
    await migrate(db, { migrations: [a, b], compile: testCompile });
    const result = await migrate(db, { migrations: [a], compile: testCompile });
    expect(result.error?.code).toBe('DATABASE_AHEAD');
    expect(result.error?.path).toBe('0002_b');
  });

  it('refuses unacknowledged destructive steps before anything runs, leaving the database unchanged', async () => {
    const { db } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const drop = (acknowledge?: string[]) =>
      testMigration(
        '0002_drop',
        {
          up: () => [
            {
              ...ddl('drop column j_a.label', 'alter table j_a drop column label'),
              destructive: true,
              path: 'A.label',
            },
          ],
        },
        acknowledge ? { acknowledge } : {},
      );
    const refused = await migrate(db, { migrations: [a, drop()], compile: testCompile });
    expect(refused.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
    expect(refused.error?.path).toBe('A.label');
    expect(refused.applied.map((r) => r.status)).toEqual(['NotExecuted', 'NotExecuted']);
    expect(await tableNames(db)).not.toContain('j_a');
    const accepted = await migrate(db, { migrations: [a, drop(['A.label'])], compile: testCompile });
    expect(accepted.error).toBeUndefined();
    const columns = (await db.introspection.getTables())
      .find((t) => t.name === 'j_a')
      ?.columns.map((c) => c.name);
    expect(columns).toEqual(['id']);
  });

  it('refuses a TODO transform before anything runs', async () => {
    const { db } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const b = testMigration(
      '0002_fill',
      {
        up: () => [
          {
            description: 'backfill j_a.label',
            transactional: false,
            statements: [],
            backfill: {
              model: 'A',
              table: 'j_a',
              key: ['id'],
              read: { id: 'id' },
              set: { label: { transform: { model: 'A', field: 'label' } } },
            },
          },
        ],
      },
      { transforms: { A: { label: todo('A.label') } } },
    );
    const result = await migrate(db, { migrations: [a, b], compile: testCompile });
    expect(result.error?.code).toBe('TODO_TRANSFORM');
    expect(await tableNames(db)).not.toContain('j_a');
  });

  it('reports a failing step as an Error result and keeps nothing of a transactional migration', async () => {
    const { db, dialect } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const bad = testMigration('0002_bad', {
      up: () => [
        ddl('create table j_b', 'create table j_b (id integer primary key)'),
        ddl('insert into a missing table', 'insert into j_missing (id) values (1)'),
      ],
    });
    const result = await migrate(db, { migrations: [a, bad], compile: testCompile });
    expect(result.error?.code).toBe('MIGRATION_FAILED');
    expect(result.error?.message).toContain('0002_bad');
    expect(result.applied.map((r) => r.status)).toEqual(['Success', 'Error']);
    const journal = await db.selectFrom('evolve_migrations').select('id').execute();
    expect(journal.map((r) => r.id)).toEqual(['0001_a']);
    // Transactional DDL rolls the whole migration back; MySQL keeps the finished step (recorded, not repeated).
    expect((await tableNames(db)).includes('j_b')).toBe(dialect === 'mysql');
  });

  it('continues after a failed step on rerun without repeating finished steps', async () => {
    const { db } = ctx();
    await sql`create table j_c (n integer)`.execute(db);
    const m = testMigration('0001_resume', {
      up: () => [
        ddl('create table j_a', 'create table j_a (id integer primary key)'),
        ddl('count a run', 'insert into j_c (n) values (1)'),
        ddl('needs j_d', 'insert into j_d (id) values (1)'),
        ddl('count again', 'insert into j_c (n) values (2)'),
      ],
    });
    const first = await migrate(db, { migrations: [m], compile: testCompile });
    expect(first.error?.code).toBe('MIGRATION_FAILED');
    await sql`create table j_d (id integer primary key)`.execute(db);
    const second = await migrate(db, { migrations: [m], compile: testCompile });
    expect(second.error).toBeUndefined();
    const counts = await db.selectFrom('j_c').select('n').orderBy('n').execute();
    expect(counts.map((r) => r.n)).toEqual([1, 2]);
    expect(await db.selectFrom('evolve_migration_steps').selectAll().execute()).toEqual([]);
  });

  it('runs non-transactional steps outside the migration transaction', async () => {
    const { db, dialect } = ctx();
    const concurrently = dialect === 'postgres' ? 'concurrently ' : '';
    const m = testMigration('0001_index', {
      up: () => [
        ddl('create table j_a', 'create table j_a (id integer primary key, label varchar(100))'),
        {
          description: 'create index j_a_label_idx',
          transactional: false,
          statements: [CompiledQuery.raw(`create index ${concurrently}j_a_label_idx on j_a (label)`)],
        },
        ddl('create table j_b', 'create table j_b (id integer primary key)'),
      ],
    });
    const result = await migrate(db, { migrations: [m], compile: testCompile });
    expect(result.error).toBeUndefined();
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['j_a', 'j_b']));
    expect(await db.selectFrom('evolve_migration_steps').selectAll().execute()).toEqual([]);
  });

  it('fails a step whose check returns rows with VALIDATION_FAILED', async () => {
    const { db, dialect } = ctx();
    const m = testMigration('0001_checked', {
      up: () => [
        ddl('create table j_a', 'create table j_a (id integer primary key, label varchar(100))'),
        {
          ...ddl('insert an orphan', "insert into j_a (id, label) values (1, 'orphan')"),
          verify: [CompiledQuery.raw("select id from j_a where label = 'orphan'")],
          path: 'A',
        },
      ],
    });
    const result = await migrate(db, { migrations: [m], compile: testCompile });
    expect(result.error?.code).toBe('VALIDATION_FAILED');
    expect(result.error?.path).toBe('A');
    expect((await tableNames(db)).includes('j_a')).toBe(dialect === 'mysql');
  });

  it('status lists applied, pending, out-of-order, modified and unknown migrations', async () => {
    const { db } = ctx();
    const a = createTableMigration('0001_a', 'j_a');
    const c = createTableMigration('0003_c', 'j_c');
    const x = createTableMigration('0004_x', 'j_d');
    await migrate(db, { migrations: [a, c, x], compile: testCompile });
    const b = createTableMigration('0002_b', 'j_b');
    const editedC = testMigration('0003_c', { up: () => [] }, { revision: 1 });
    const e = createTableMigration('0005_e', 'j_e');
    const s = await status(db, { migrations: [a, b, editedC, e] });
    expect(s.applied.map((r) => r.id)).toEqual(['0001_a', '0003_c']);
    expect(s.pending).toEqual(['0002_b', '0005_e']);
    expect(s.outOfOrder).toEqual(['0002_b']);
    expect(s.modified).toEqual(['0003_c']);
    expect(s.unknownApplied).toEqual(['0004_x']);
    expect(s.current).toBe('0003_c');
  });

  it('returns an error instead of throwing for an invalid migration list', async () => {
    const { db } = ctx();
    const result = await migrate(db, {
      migrations: [createTableMigration('0002_a', 'j_a'), createTableMigration('0001_b', 'j_b')],
      compile: testCompile,
    });
    expect(result.error?.code).toBe('INVALID_MIGRATION');
  });
});
