import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { capabilitiesFor, type MigrateResult, migrate } from '../src/runtime/index.ts';
import {
  ddl,
  resetJournal,
  seedRows,
  settlePoolsAfterAll,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

const CALLERS = 5;

describeSqlEngines('migrate: lock', (ctx, engine) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    for (const t of ['lk_a', 'lk_b', 'lk_runs']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
    await sql`create table lk_runs (migration varchar(50))`.execute(db);
  });

  const migrations = [
    testMigration('0001_a', {
      up: () => [
        ddl('create lk_a', 'create table lk_a (id integer primary key, label varchar(100))'),
        ddl('count', "insert into lk_runs (migration) values ('0001_a')"),
      ],
    }),
    testMigration('0002_b', {
      up: () => [
        {
          description: 'slow backfill lk_a.label',
          transactional: false,
          statements: [],
          backfill: {
            model: 'A',
            table: 'lk_a',
            key: ['id'],
            read: {},
            set: { label: { expression: "concat(label, '*')" } },
          },
        },
        ddl('create lk_b', 'create table lk_b (id integer primary key)'),
        ddl('count', "insert into lk_runs (migration) values ('0002_b')"),
      ],
    }),
  ];

  // PGlite is one in-process connection that every Kysely instance shares: callers there run one after another.
  const concurrent = engine !== 'pglite';

  it(`lets exactly one of ${CALLERS} ${concurrent ? 'concurrent' : 'successive'} callers migrate; the others wait and find nothing to do`, async () => {
    const { db, connect } = ctx();
    // Make the first migration's table exist with rows before the race so that the backfill takes a while.
    await sql`create table lk_a (id integer primary key, label varchar(100))`.execute(db);
    await seedRows(db, 'lk_a', 200);
    await sql`drop table lk_a`.execute(db);
    const instances: Kysely<any>[] = Array.from({ length: CALLERS }, () => connect({ poolSize: 2 }));
    let waits = 0;
    const run = (k: Kysely<any>) =>
      migrate(k, {
        migrations,
        compile: testCompile,
        batchSize: 20,
        pauseMs: 5,
        lockTimeoutMs: 30_000,
        onProgress: (e) => {
          if (e.type === 'lock-wait') waits += 1;
        },
      });
    let results: MigrateResult[];
    if (concurrent) {
      results = await Promise.all(instances.map(run));
    } else {
      results = [];
      for (const k of instances) results.push(await run(k));
    }
    expect(results.map((r) => r.error)).toEqual(Array(CALLERS).fill(undefined));
    const successes = results.flatMap((r) =>
      r.applied.filter((a) => a.status === 'Success').map((a) => a.id),
    );
    expect(successes.sort()).toEqual(['0001_a', '0002_b']);
    const runs = await db.selectFrom('lk_runs').select('migration').orderBy('migration').execute();
    expect(runs.map((r) => r.migration)).toEqual(['0001_a', '0002_b']);
    if (concurrent) expect(waits).toBeGreaterThan(0);
    // PGlite's instances share one client: destroying one would close it for the rest of the file.
    if (concurrent) await Promise.all(instances.map((k) => k.destroy()));
  });

  it('gives up with LOCK_TIMEOUT when another session holds the lock too long', async () => {
    if (!concurrent) return;
    const { connect } = ctx();
    const holder = connect({ poolSize: 1 });
    const waiter = connect({ poolSize: 1 });
    try {
      const caps = capabilitiesFor(holder);
      const m = testMigration('0001_a', {
        up: () => [ddl('create lk_a', 'create table lk_a (id integer primary key)')],
      });
      const timedOut = await holder.connection().execute(async (conn) => {
        expect(await caps.tryLock(conn, 'test-holder')).toBe(true);
        try {
          return await migrate(waiter, { migrations: [m], compile: testCompile, lockTimeoutMs: 300 });
        } finally {
          await caps.releaseLock(conn, 'test-holder');
        }
      });
      expect(timedOut.error?.code).toBe('LOCK_TIMEOUT');
      expect(timedOut.applied).toEqual([]);
      const after = await migrate(waiter, { migrations: [m], compile: testCompile, lockTimeoutMs: 300 });
      expect(after.error).toBeUndefined();
      expect(after.applied.map((r) => r.status)).toEqual(['Success']);
    } finally {
      await Promise.all([holder.destroy(), waiter.destroy()]);
    }
  });
});
