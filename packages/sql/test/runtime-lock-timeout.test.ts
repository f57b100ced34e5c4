import type { Migration } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type MigrateOptions, type MigrateProgressEvent, migrate } from '../src/runtime/index.ts';
import { type LockHolder, lockHolder } from './fixtures/hold-lock.ts';
import {
  ddl,
  resetJournal,
  seedRows,
  settlePoolsAfterAll,
  starLabelsStep,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

const ROWS = 40;

const starBackfill = starLabelsStep('lt_items', 'Item');

const addNote = ddl('add column lt_items.note', 'alter table lt_items add column note varchar(20)');
const indexNote = ddl('create index lt_items_note_idx', 'create index lt_items_note_idx on lt_items (note)');

// PGlite is one in-process connection: no other session can hold a lock there.
describeSqlEngines(
  'migrate: lock timeouts on DDL and backfill batches',
  (ctx, engine) => {
    settlePoolsAfterAll(ctx);
    // MySQL and MariaDB count lock waits in whole seconds.
    const timeoutMs = engine === 'mysql' ? 1000 : 300;
    const patient: MigrateOptions = {
      statementLockTimeoutMs: timeoutMs,
      lockRetries: 8,
      lockRetryDelayMs: 50,
    };
    const holders: LockHolder[] = [];
    /** SQLite's holder takes the database's write lock once the run holds the migration lock. */
    const takesLate = engine === 'sqlite';

    beforeEach(async () => {
      const { db } = ctx();
      await resetJournal(db);
      await sql`drop table if exists lt_items`.execute(db);
      await sql`create table lt_items (id integer primary key, label varchar(100))`.execute(db);
      await seedRows(db, 'lt_items', ROWS);
    });
    afterEach(async () => {
      await Promise.all(holders.splice(0).map((h) => h.release()));
    });

    async function holder(statements: string[]): Promise<LockHolder> {
      const h = await lockHolder(ctx(), statements);
      holders.push(h);
      if (!takesLate) await h.take();
      return h;
    }
    /** An onProgress that records events, and on SQLite takes the holder's lock when the run starts. */
    function recorder(h: LockHolder, events: MigrateProgressEvent[]) {
      return (event: MigrateProgressEvent) => {
        events.push(event);
        if (takesLate && event.type === 'migration-start') void h.take();
      };
    }
    /** Runs `migration` while `h` holds its lock, timing the run. */
    async function timedMigrate(
      db: Kysely<any>,
      migration: Migration,
      options: MigrateOptions,
      h: LockHolder,
      events: MigrateProgressEvent[] = [],
    ) {
      const started = performance.now();
      const result = await migrate(db, {
        migrations: [migration],
        compile: testCompile,
        ...options,
        onProgress: recorder(h, events),
      });
      return { result, tookMs: performance.now() - started };
    }
    const tableLock = () => holder(engine === 'sqlite' ? [] : ['select count(*) from lt_items']);
    const rowLock = (id: number) => holder([`update lt_items set label = 'held' where id = ${id}`]);
    const columns = async (db: Kysely<any>) =>
      (await db.introspection.getTables()).find((t) => t.name === 'lt_items')?.columns.map((c) => c.name) ??
      [];
    const labels = async (db: Kysely<any>) =>
      (await db.selectFrom('lt_items').select('label').orderBy('id').execute()).map((r) => String(r.label));

    it('runs DDL behind an open transaction on its table once the transaction ends, reporting lock-retry events', async () => {
      const { db } = ctx();
      const h = await tableLock();
      const holdMs = timeoutMs * 2 + 300;
      const events: MigrateProgressEvent[] = [];
      const m = testMigration('0001_note', { up: () => [addNote, indexNote] });
      const started = performance.now();
      setTimeout(() => void h.release(), holdMs);
      const result = await migrate(db, {
        migrations: [m],
        compile: testCompile,
        ...patient,
        onProgress: recorder(h, events),
      });
      const tookMs = performance.now() - started;
      expect(result.error).toBeUndefined();
      expect(await columns(db)).toContain('note');
      const retries = events.filter((e) => e.type === 'lock-retry');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries[0]).toMatchObject({
        type: 'lock-retry',
        id: '0001_note',
        table: 'lt_items',
        attempt: 1,
        attempts: 9,
      });
      if (h.session) expect(retries[0]?.heldBy.join(' ')).toContain(h.session);
      expect(tookMs).toBeGreaterThanOrEqual(holdMs - 50);
      console.log(
        `[lock-timeout] ${engine}: DDL waited ${Math.round(tookMs)} ms behind a ${holdMs} ms transaction, ${retries.length} retries`,
      );
    });

    it('runs a backfill batch blocked by a row lock once the lock is released, writing every row once', async () => {
      const { db } = ctx();
      const h = await rowLock(15);
      const holdMs = timeoutMs * 2 + 300;
      const events: MigrateProgressEvent[] = [];
      const m = testMigration('0001_star', { up: () => [starBackfill] });
      setTimeout(() => void h.release(), holdMs);
      const result = await migrate(db, {
        migrations: [m],
        compile: testCompile,
        batchSize: 10,
        ...patient,
        onProgress: recorder(h, events),
      });
      expect(result.error).toBeUndefined();
      const expected = Array.from({ length: ROWS }, (_, i) => (i + 1 === 15 ? 'held*' : `r${i + 1}*`));
      expect(await labels(db)).toEqual(expected);
      const retries = events.filter((e) => e.type === 'lock-retry');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries[0]).toMatchObject({ table: 'lt_items', index: 0 });
    });

    it('fails a DDL step with LOCK_TIMEOUT naming the table and the holder within timeout × attempts + 1 s, applying nothing; the rerun completes', async () => {
      const { db } = ctx();
      const h = await tableLock();
      const m = testMigration('0001_note', { up: () => [addNote, starBackfill, indexNote] });
      const options: MigrateOptions = {
        statementLockTimeoutMs: timeoutMs,
        lockRetries: 2,
        lockRetryDelayMs: 50,
      };
      const { result, tookMs } = await timedMigrate(db, m, options, h);
      const boundMs = timeoutMs * 3 + 50 + 100 + 1000;
      console.log(
        `[lock-timeout] ${engine}: DDL gave up after ${Math.round(tookMs)} ms (bound ${boundMs} ms)`,
      );
      console.log(`[lock-timeout] ${engine}: ${result.error?.message}`);
      expect(result.error?.code).toBe('LOCK_TIMEOUT');
      expect(result.error?.message).toContain('lt_items');
      expect(result.error?.message).toContain('3 attempts');
      if (h.session) expect(result.error?.message).toContain(h.session);
      expect(result.applied.map((r) => r.status)).toEqual(['Error']);
      expect(tookMs).toBeLessThanOrEqual(boundMs);
      expect(tookMs).toBeGreaterThanOrEqual(timeoutMs * 3 - 50);
      // nothing half-applied: no column, no journal row, no label touched
      expect(await columns(db)).not.toContain('note');
      expect(await db.selectFrom('evolve_migrations').select('id').execute()).toEqual([]);
      expect((await labels(db)).every((l) => !l.endsWith('*'))).toBe(true);
      await h.release();
      const rerun = await migrate(db, { migrations: [m], compile: testCompile, ...options });
      expect(rerun.error).toBeUndefined();
      expect(await columns(db)).toContain('note');
      expect((await labels(db)).every((l) => /^r\d+\*$/.test(l))).toBe(true);
    });

    it('fails a backfill blocked by a row lock with LOCK_TIMEOUT; the batch that timed out wrote nothing and the rerun resumes after the ones before it', async () => {
      const { db } = ctx();
      const h = await rowLock(25);
      const m = testMigration('0001_star', { up: () => [starBackfill] });
      const options: MigrateOptions = {
        statementLockTimeoutMs: timeoutMs,
        lockRetries: 1,
        lockRetryDelayMs: 50,
        batchSize: 10,
      };
      const { result, tookMs } = await timedMigrate(db, m, options, h);
      console.log(
        `[lock-timeout] ${engine}: backfill batch gave up after ${Math.round(tookMs)} ms (bound ${timeoutMs * 2 + 50 + 1000} ms)`,
      );
      expect(result.error?.code).toBe('LOCK_TIMEOUT');
      expect(result.error?.message).toContain('lt_items');
      if (h.session) expect(result.error?.message).toContain(h.session);
      expect(tookMs).toBeLessThanOrEqual(timeoutMs * 2 + 50 + 1000);
      await h.release();
      const after = await labels(db);
      if (engine === 'sqlite') {
        // one write lock for the whole database: not even the first batch could start
        expect(after.filter((l) => l.endsWith('*'))).toEqual([]);
      } else {
        expect(after.slice(0, 20).every((l, i) => l === `r${i + 1}*`)).toBe(true);
        expect(after.slice(20).every((l) => !l.endsWith('*'))).toBe(true);
      }
      const rerun = await migrate(db, { migrations: [m], compile: testCompile, ...options });
      expect(rerun.error).toBeUndefined();
      expect(await labels(db)).toEqual(
        Array.from({ length: ROWS }, (_, i) => (i + 1 === 25 ? 'held*' : `r${i + 1}*`)),
      );
    });

    it('leaves the session as it found it: no lock timeout outlives the run (PostgreSQL sets it per transaction only)', async () => {
      const { connect } = ctx();
      const pinned = engine === 'sqlite' ? ctx().db : connect({ poolSize: 1 });
      const setting = async () => {
        if (engine === 'postgres') {
          return (await sql<{ v: string }>`select current_setting('lock_timeout') as v`.execute(pinned))
            .rows[0]?.v;
        }
        if (engine === 'mysql') {
          const { rows } = await sql<{
            a: number;
            b: number;
          }>`select @@session.lock_wait_timeout as a, @@session.innodb_lock_wait_timeout as b`.execute(
            pinned,
          );
          return `${rows[0]?.a}/${rows[0]?.b}`;
        }
        return String((await sql<{ timeout: number }>`pragma busy_timeout`.execute(pinned)).rows[0]?.timeout);
      };
      const before = await setting();
      const m = testMigration('0001_note', { up: () => [addNote, starBackfill, indexNote] });
      const result = await migrate(pinned, { migrations: [m], compile: testCompile, ...patient });
      expect(result.error).toBeUndefined();
      expect(await setting()).toBe(before);
      if (engine !== 'sqlite') await pinned.destroy();
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
