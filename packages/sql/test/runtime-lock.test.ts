import { spawn } from 'node:child_process';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { capabilitiesFor, type MigrateResult, migrate } from '../src/runtime/index.ts';
import { type Lease, releaseLease } from '../src/runtime/lease.ts';
import { takeLease } from '../src/runtime/take-lease.ts';
import {
  ddl,
  resetJournal,
  seedRows,
  settlePoolsAfterAll,
  starLabelsStep,
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
        starLabelsStep('lk_a', 'A', 'slow backfill lk_a.label'),
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
      const m = testMigration('0001_a', {
        up: () => [ddl('create lk_a', 'create table lk_a (id integer primary key)')],
      });
      const lease = await hold(holder, 'test-holder', 60_000);
      let timedOut: MigrateResult;
      try {
        timedOut = await migrate(waiter, { migrations: [m], compile: testCompile, lockTimeoutMs: 300 });
      } finally {
        await releaseLease(holder, lease);
      }
      expect(timedOut.error?.code).toBe('LOCK_TIMEOUT');
      expect(timedOut.error?.message).toMatch(/pid \d+ on .+, its lease running out in \d+ ms/);
      expect(timedOut.applied).toEqual([]);
      const after = await migrate(waiter, { migrations: [m], compile: testCompile, lockTimeoutMs: 300 });
      expect(after.error).toBeUndefined();
      expect(after.applied.map((r) => r.status)).toEqual(['Success']);
      expect(await lockRows(waiter), 'the lock row is gone once released').toBe(0);
    } finally {
      await Promise.all([holder.destroy(), waiter.destroy()]);
    }
  });

  it('takes over a lease that its live holder stopped renewing once it ran out by the database clock', async () => {
    const { db } = ctx();
    const m = testMigration('0001_a', {
      up: () => [ddl('create lk_a', 'create table lk_a (id integer primary key)')],
    });
    // This process is alive, so only the lease's expiry frees the lock.
    await hold(db, 'silent-holder', 400);
    const started = Date.now();
    const result = await migrate(db, { migrations: [m], compile: testCompile, lockTimeoutMs: 10_000 });
    expect(result.error).toBeUndefined();
    expect(result.applied.map((r) => r.status)).toEqual(['Success']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await lockRows(db)).toBe(0);
  });

  it('takes over at once a lease whose holder was a process of this machine that no longer exists', async () => {
    const { db } = ctx();
    const m = testMigration('0001_a', {
      up: () => [ddl('create lk_a', 'create table lk_a (id integer primary key)')],
    });
    const lease = await hold(db, 'dead-holder', 600_000);
    await sql`update evolve_lock set pid = ${await deadPid()} where owner = ${lease.owner}`.execute(db);
    const started = Date.now();
    const result = await migrate(db, { migrations: [m], compile: testCompile, lockTimeoutMs: 10_000 });
    expect(result.error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await lockRows(db)).toBe(0);
  });

  it('stops with LOCK_LOST, writing no further batch, when another process took its lease over mid-backfill; a rerun converges', async () => {
    // PGlite's instances queue on one connection: nobody can take the lock over in the middle of a run.
    if (!concurrent) return;
    const { db, connect } = ctx();
    await sql`create table lk_a (id integer primary key, label varchar(100))`.execute(db);
    await seedRows(db, 'lk_a', 200);
    const m = testMigration('0001_a', {
      up: () => [starLabelsStep('lk_a', 'A')],
    });
    const migrator = connect({ poolSize: 2 });
    let stolen: Promise<unknown> | undefined;
    const result = await migrate(migrator, {
      migrations: [m],
      compile: testCompile,
      batchSize: 20,
      pauseMs: 10,
      onProgress: (e) => {
        // Another instance takes the lock over, as it would after this one stalled beyond its lease.
        if (e.type === 'backfill' && !stolen) {
          stolen = sql`update evolve_lock set owner = 'thief', token = token + 1`.execute(db);
        }
      },
    });
    await stolen;
    expect(result.error?.code).toBe('LOCK_LOST');
    expect(result.applied.map((r) => r.status)).toEqual(['Error']);
    const starred = await sql<{ n: number | string }>`
      select count(*) as n from lk_a where label like '%*'`.execute(db);
    const written = Number(starred.rows[0]?.n);
    expect(written, 'batches after the takeover wrote nothing').toBeLessThan(200);
    const progress = await db.selectFrom('evolve_migration_steps').select('rows_done').executeTakeFirst();
    expect(Number(progress?.rows_done), 'the checkpoint matches what was written').toBe(written);
    expect(await db.selectFrom('evolve_migrations').select('id').execute()).toEqual([]);

    await sql`delete from evolve_lock where owner = 'thief'`.execute(db);
    const rerun = await migrate(migrator, { migrations: [m], compile: testCompile, batchSize: 20 });
    expect(rerun.error).toBeUndefined();
    const all = await sql<{ n: number | string }>`
      select count(*) as n from lk_a where label like '%*' and label not like '%**'`.execute(db);
    expect(Number(all.rows[0]?.n), 'every row written exactly once').toBe(200);
    await migrator.destroy();
  });

  it('keeps its lease through one statement that outlasts it (renewed through the pool), so that a waiting instance never takes the lock over', async () => {
    // SQLite and PGlite run one statement at a time per process: nothing can renew meanwhile, nor take over.
    if (!concurrent || engine === 'sqlite') return;
    const { connect } = ctx();
    const holder = connect({ poolSize: 2 });
    const contender = connect({ poolSize: 2 });
    const slow = (dialect: string) => (dialect === 'mysql' ? 'select sleep(1.5)' : 'select pg_sleep(1.5)');
    const m = testMigration('0001_a', {
      up: (dialect) => [
        ddl('slow step', slow(dialect)),
        ddl('count', "insert into lk_runs (migration) values ('0001_a')"),
      ],
    });
    try {
      let contending: Promise<MigrateResult> | undefined;
      const first = await migrate(holder, {
        migrations: [m],
        compile: testCompile,
        lockLeaseMs: 300,
        onProgress: (e) => {
          if (e.type === 'step' && !contending) {
            contending = migrate(contender, { migrations: [m], compile: testCompile, lockTimeoutMs: 10_000 });
          }
        },
      });
      const second = await contending;
      expect(first.error).toBeUndefined();
      expect(first.applied.map((r) => r.status)).toEqual(['Success']);
      expect(second?.error).toBeUndefined();
      expect(second?.applied).toEqual([]);
      const runs = await holder.selectFrom('lk_runs').select('migration').execute();
      expect(runs).toHaveLength(1);
    } finally {
      await Promise.all([holder.destroy(), contender.destroy()]);
    }
  });

  it('refuses a lockLeaseMs that is not a positive number with INVALID_CONFIG', async () => {
    const { db } = ctx();
    const m = testMigration('0001_a', { up: () => [ddl('noop', 'select 1')] });
    const result = await migrate(db, { migrations: [m], compile: testCompile, lockLeaseMs: 0 });
    expect(result.error?.code).toBe('INVALID_CONFIG');
    expect(result.error?.path).toBe('lockLeaseMs');
  });
});

/** Takes the migration lock as another instance would, with a lease of `leaseMs`. */
async function hold(db: Kysely<any>, owner: string, leaseMs: number): Promise<Lease> {
  const attempt = await takeLease(db, capabilitiesFor(db), { owner, leaseMs });
  if (!('lease' in attempt)) throw new Error('the migration lock is held already');
  return attempt.lease;
}

async function lockRows(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from evolve_lock`.execute(db);
  return Number(rows[0]?.n);
}

/** The pid of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 999_999;
}
