import { describeSqlEngines } from '@evolve/harness';
import { compileMigration } from '@evolve/sql';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  ACCOUNT_MIGRATIONS,
  ACCOUNT_SNAPSHOTS,
  seedAccount,
} from '../reliability/support/account-history.ts';
import {
  accountIdsIntact,
  checkAccounts,
  dropAccounts,
  journalProblems,
  leftoverProgress,
  migrationLockHeld,
  readJournal,
  seedAccounts,
} from '../reliability/support/accounts-db.ts';
import { bundledChild } from '../reliability/support/bundle-child.ts';
import { encodeArgs } from '../reliability/support/child-args.ts';
import { accountModels, createProject, evolveCli } from '../reliability/support/cli-project.ts';
import { type ChildResult, lastReport, runChild, startChild } from '../reliability/support/run-child.ts';
import type { ConnectionLossChildArgs, ConnectionLossReport } from './support/connection-loss-child.ts';
import { openTransaction, terminateWhenBlocked } from './support/terminate-backend.ts';

const ROWS = 5000;
/** The migrating application's sessions carry this name, so that the test finds and terminates them. */
const APP = 'evolve_conn_loss';
const CHILD = 'test/online/support/connection-loss-child.ts';
const MIGRATION = '0002_add_display_name';

/** The step index of 0002's backfill on PostgreSQL (its progress row's key). */
const BACKFILL_INDEX = compileMigration(ACCOUNT_MIGRATIONS[1]!, {
  dialect: 'postgres',
  direction: 'up',
  before: ACCOUNT_SNAPSHOTS[0]!,
}).findIndex((step) => step.backfill);

/**
 * A moment of 0002 (add displayName, TS backfill, set not null) at which the server terminates the
 * migrating session: another session's open transaction makes it wait in a known statement there.
 */
interface LossPoint {
  name: string;
  /** What the other session holds. */
  hold: RawBuilder<unknown>[];
  /** Take hold only once the child printed this (after its first batch committed). */
  after?: string;
  /** The statement the migrating session waits in when it is terminated (ILIKE). */
  query: string;
}

const POINTS: LossPoint[] = [
  {
    name: 'DDL (add column)',
    hold: [sql`select 1 from accounts limit 1`],
    query: 'alter table "accounts"%',
  },
  {
    name: 'the first backfill batch',
    // An uncommitted row with the key the first batch's checkpoint needs.
    hold: [
      sql`insert into evolve_migration_steps (migration_id, direction, step_index, checksum, status, rows_done, updated_at)
          values (${MIGRATION}, 'up', ${BACKFILL_INDEX}, 'held', 'running', 0, 'held')`,
    ],
    query: 'insert into "evolve_migration_steps"%',
  },
  {
    name: 'the middle of the backfill',
    after: '"type":"backfill"',
    hold: [
      sql`select 1 from evolve_migration_steps where migration_id = ${MIGRATION} and step_index = ${BACKFILL_INDEX} for update`,
    ],
    query: 'update "evolve_migration_steps"%',
  },
  {
    name: 'validation (the dry run of the transforms)',
    hold: [sql`lock table accounts in access exclusive mode`],
    query: 'select %from "accounts"%',
  },
  {
    name: 'the journal write',
    hold: [
      sql`insert into evolve_migrations (id, sequence, checksum, applied_at, duration_ms)
          values (${MIGRATION}, 2, 'held', 'held', 0)`,
    ],
    query: 'insert into "evolve_migrations"%',
  },
];

function named(url: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', APP);
  return u.toString();
}

/** The child's report, after checking that it ended by returning a result and not by crashing. */
function reportOf(r: ChildResult): ConnectionLossReport {
  const report = lastReport<ConnectionLossReport>(r.stdout);
  expect(report, `a RESULT line (exit ${r.code}, stderr ${r.stderr.slice(-2000)})`).toBeDefined();
  expect(r.stderr, 'no uncaught exception').not.toMatch(/unhandled|uncaught|^\s+at /im);
  return report as ConnectionLossReport;
}

/** The first backfill progress of 0002 a run printed (rows done after its first batch). */
function firstBackfillRows(stdout: string): number | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('EVENT ')) continue;
    const event = JSON.parse(line.slice(6)) as { type: string; id?: string; rowsDone?: number };
    if (event.type === 'backfill' && event.id === MIGRATION) return event.rowsDone;
  }
  return undefined;
}

/** After a rerun: every row transformed once, the journal complete, no lock, no leftover progress. */
async function expectConverged(db: Kysely<any>, rerun: ChildResult): Promise<void> {
  const report = reportOf(rerun);
  expect(report.error, 'rerun error').toBeUndefined();
  expect(rerun.code).toBe(0);
  expect(await checkAccounts(db, ROWS)).toEqual({ rows: ROWS, wrong: [], missing: [], duplicated: [] });
  expect(journalProblems(await readJournal(db), ACCOUNT_MIGRATIONS)).toEqual([]);
  expect(await migrationLockHeld(db)).toBe(false);
  expect(await leftoverProgress(db)).toEqual([]);
}

describeSqlEngines(
  'connection loss',
  (ctx) => {
    for (const point of POINTS) {
      it(`a backend terminated at ${point.name}: migrate() on a plain pg.Pool returns CONNECTION_LOST naming the migration (no crash), and a rerun converges`, async () => {
        const { db, url, connect } = ctx();
        if (!url) throw new Error('needs a URL');
        const other = connect({ poolSize: 1 });
        await dropAccounts(db);
        await seedAccounts(db, ROWS);
        const script = await bundledChild(CHILD);
        const args: ConnectionLossChildArgs = {
          dialect: 'postgres',
          url: named(url),
          batchSize: 100,
          pauseMs: 5,
        };
        let held = point.after ? undefined : await openTransaction(other, point.hold);
        try {
          const child = startChild(script, { args: [encodeArgs(args)], timeoutMs: 120_000 });
          if (point.after) {
            await child.waitFor(point.after);
            held = await openTransaction(other, point.hold);
          }
          const interrupted = await terminateWhenBlocked(db, { applicationName: APP, query: point.query });
          await held?.release();
          held = undefined;
          const r = await child.result;
          const report = reportOf(r);
          console.log(
            `[connection-loss] postgres, ${point.name}: terminated in "${interrupted.slice(0, 70)}" -> ${report.error?.code}: ${report.error?.message}`,
          );
          expect(report.error?.code).toBe('CONNECTION_LOST');
          expect(report.error?.message).toContain(MIGRATION);
          expect(r.code, 'exit code').toBe(1);
          expect(await accountIdsIntact(db, ROWS)).toBe(true);

          const rerun = await runChild(script, { args: [encodeArgs(args)], timeoutMs: 120_000 });
          if (point.after) {
            // It resumed after the batches that had committed instead of starting over.
            expect(firstBackfillRows(rerun.stdout)).toBeGreaterThan(args.batchSize);
          }
          await expectConverged(db, rerun);
        } finally {
          await held?.release();
          await other.destroy();
        }
      }, 120_000);
    }

    it('`evolve up` whose backend is terminated during DDL prints `error CONNECTION_LOST` and exits non-zero; a second `evolve up` completes', async () => {
      const { db, url, connect } = ctx();
      if (!url) throw new Error('needs a URL');
      const other = connect({ poolSize: 1 });
      const env = { DATABASE_URL: named(url) };
      await dropAccounts(db);
      const project = createProject(accountModels());
      try {
        expect((await evolveCli(project, ['generate', 'create_accounts'])).code).toBe(0);
        expect((await evolveCli(project, ['up'], env)).code).toBe(0);
        await db
          .insertInto('accounts')
          .values(Array.from({ length: 200 }, (_, i) => seedAccount(i + 1)))
          .execute();
        project.write('src/models.ts', accountModels({ tier: true }));
        expect((await evolveCli(project, ['generate', 'add_tier'])).code).toBe(0);
        const held = await openTransaction(other, [sql`select 1 from accounts limit 1`]);
        const running = evolveCli(project, ['up'], env);
        try {
          await terminateWhenBlocked(db, { applicationName: APP, query: 'alter table "accounts"%' });
        } finally {
          await held.release();
        }
        const lost = await running;
        console.log(`[connection-loss] evolve up: exit ${lost.code}, ${lost.stderr.trim().split('\n')[0]}`);
        expect(lost.stderr).toMatch(/^error CONNECTION_LOST: /m);
        expect(lost.stderr).not.toMatch(/unhandled|uncaught/i);
        expect(lost.code).toBe(1);
        const again = await evolveCli(project, ['up'], env);
        expect(again.code, again.stderr).toBe(0);
        expect(await migrationLockHeld(db)).toBe(false);
      } finally {
        project.remove();
        await other.destroy();
      }
    }, 120_000);
  },
  { engines: ['postgres'] },
);

describeSqlEngines(
  'connection loss (KILL)',
  (ctx) => {
    it('a connection killed in the middle of a backfill: migrate() on a plain mysql2 pool returns CONNECTION_LOST naming the migration (no crash), and a rerun converges', async () => {
      const { db, url } = ctx();
      if (!url) throw new Error('needs a URL');
      await dropAccounts(db);
      await seedAccounts(db, ROWS);
      const sessions = async () => {
        const { rows } = await sql<{ id: number | string }>`
          select id from information_schema.processlist where db = database() and id <> connection_id()`.execute(
          db,
        );
        return rows.map((r) => Number(r.id));
      };
      // The test's own sessions; every other one on this database is the child's.
      const ours = new Set([...(await sessions()), ...(await sessions())]);
      const script = await bundledChild(CHILD);
      const args: ConnectionLossChildArgs = { dialect: 'mysql', url, batchSize: 100, pauseMs: 5 };
      const child = startChild(script, { args: [encodeArgs(args)], timeoutMs: 120_000 });
      await child.waitFor('"type":"backfill"');
      const killed = (await sessions()).filter((id) => !ours.has(id));
      for (const id of killed) await sql.raw(`kill ${id}`).execute(db);
      const r = await child.result;
      const report = reportOf(r);
      console.log(
        `[connection-loss] mysql, mid backfill: killed ${killed.length} session(s) -> ${report.error?.code}: ${report.error?.message}`,
      );
      expect(killed.length).toBeGreaterThan(0);
      expect(report.error?.code).toBe('CONNECTION_LOST');
      expect(report.error?.message).toContain(MIGRATION);
      expect(r.code).toBe(1);
      expect(await accountIdsIntact(db, ROWS)).toBe(true);
      await expectConverged(db, await runChild(script, { args: [encodeArgs(args)], timeoutMs: 120_000 }));
    }, 120_000);
  },
  { engines: ['mysql'] },
);
