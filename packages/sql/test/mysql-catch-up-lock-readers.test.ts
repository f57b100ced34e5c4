// Issue 9, point 5 on MySQL/MariaDB: a locked catch-up (LOCK TABLES on the table, its log and evolve's own
// tables) must not make the other instances' polls of the migration lock wait: they read `evolve_lock`
// while it lasts. The run's own journal and progress writes under the lock are still fenced by its lease.
import { isEvolveError } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { capabilitiesFor } from '../src/dialects/capabilities-for.ts';
import { mysqlChangeLog } from '../src/dialects/mysql/mysql-change-log.ts';
import type { ChangeLogSpec } from '../src/dialects/shared/change-log-sql.ts';
import { createJournalTables, JOURNAL_TABLE } from '../src/runtime/journal.ts';
import { readLockedLease } from '../src/runtime/lease.ts';
import { createLockTable, LOCK_TABLE, readLockRow } from '../src/runtime/lock-table.ts';
import { finishMigration } from '../src/runtime/step-progress.ts';
import { takeLease } from '../src/runtime/take-lease.ts';

const TABLE = 'lr_items';
const spec: ChangeLogSpec = {
  table: TABLE,
  key: [],
  log: '_evolve_lr_log',
  trigger: 'evolve_lr',
  fills: [],
  sources: [],
  nullFills: [],
  inPlace: [],
  lockTimeoutMs: 1000,
  children: [],
};

const timed = async <T>(
  work: Promise<T>,
  ms: number,
): Promise<{ value?: T; ms: number; timedOut: boolean }> => {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const value = await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  return value === 'timeout'
    ? { ms: performance.now() - started, timedOut: true }
    : { value: value as T, ms: performance.now() - started, timedOut: false };
};

async function setUp(db: Kysely<any>) {
  for (const table of [TABLE, spec.log, LOCK_TABLE])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  await sql`create table ${sql.table(TABLE)} (id int primary key)`.execute(db);
  await sql`create table ${sql.table(spec.log)} (seq int primary key)`.execute(db);
  await createJournalTables(db);
  await createLockTable(db);
  await db.deleteFrom(JOURNAL_TABLE).where('id', 'like', '990%_lr_%').execute();
  const caps = capabilitiesFor(db);
  const attempt = await takeLease(db, caps, { owner: 'lr-owner', leaseMs: 30_000 });
  if (!('lease' in attempt)) throw new Error('the test could not take the lock');
  return { caps, lease: attempt.lease };
}

describeSqlEngines(
  'MySQL: a locked catch-up and the lock waiters',
  (ctx) => {
    it('lets other sessions read the lock row while the catch-up holds its table locks, and fences its writes by reading it', async () => {
      const { db } = ctx();
      const { caps, lease } = await setUp(db);
      await db.connection().execute(async (conn) => {
        for (const statement of mysqlChangeLog.lock(spec)) await conn.executeQuery(statement);
        try {
          // a waiting instance's poll (through the pool, another session) is answered at once
          const poll = await timed(readLockRow(db, caps), 3000);
          expect(poll.timedOut, 'the poll waited for the catch-up').toBe(false);
          expect(poll.value?.owner).toBe('lr-owner');
          expect(poll.ms).toBeLessThan(1000);

          // the run's own journal write under the lock, fenced by reading the lease
          const record = (id: string, fence: typeof lease) =>
            finishMigration(
              conn,
              { id, checksum: 'c', direction: 'up', durationMs: 1, lease: readLockedLease(fence) },
              { clearProgress: false },
            );
          await record('9901_lr_one', lease);
          // a lease that is not the row's (another token) is refused without writing
          const stale = await record('9902_lr_two', { ...lease, token: lease.token + 1 }).catch(
            (e: unknown) => e,
          );
          expect(isEvolveError(stale, 'LOCK_LOST')).toBe(true);
          for (const statement of mysqlChangeLog.commit(spec)) await conn.executeQuery(statement);
        } finally {
          for (const statement of mysqlChangeLog.unlock(spec)) await conn.executeQuery(statement);
        }
      });
      const journal = await db
        .selectFrom(JOURNAL_TABLE)
        .select('id')
        .where('id', 'like', '990%_lr_%')
        .execute();
      expect(journal.map((r) => r.id)).toEqual(['9901_lr_one']);
      await db.deleteFrom(LOCK_TABLE).execute();
    });
  },
  { engines: ['mysql'] },
);
