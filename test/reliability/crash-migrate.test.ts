import { describeSqlEngines, type TestDatabase } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS, CRASH_MIGRATIONS, expectedCrashAccount } from './support/account-history.ts';
import {
  accountIdsIntact,
  checkAccounts,
  dropAccounts,
  journalProblems,
  leftoverProgress,
  migrationLockHeld,
  readJournal,
  seedAccounts,
  staleSqliteLeases,
} from './support/accounts-db.ts';
import { bundledChild } from './support/bundle-child.ts';
import { encodeArgs } from './support/child-args.ts';
import { diesAfter, KILLED } from './support/dies-after.ts';
import { extraDatabases } from './support/extra-databases.ts';
import { type KillPhase, killPhase, phaseSummary } from './support/kill-point.ts';
import type { MigrateChildArgs, MigrateChildReport } from './support/migrate-child-types.ts';
import { lastReport, runChild } from './support/run-child.ts';
import { runSeed, seededRandom } from './support/seeded-random.ts';

/** Kill points per engine (EVOLVE_CRASH_KILLS overrides), spread over parallel lanes, one database each. */
const KILLS = Number(process.env.EVOLVE_CRASH_KILLS ?? 30);
const LANES = 3;
const ROWS = 2000;
/** A killed process's lock must not hold the next run up for longer than this. */
const MAX_LOCK_WAIT_AFTER_KILL_MS = 10_000;
const SEED = runSeed('crash-migrate');

interface LaneOutcome {
  kills: { delayMs: number; phase: KillPhase }[];
  rounds: number;
  runs: number;
  rowsChecked: number;
  maxLockWaitMs: number;
  /** SQLite rounds that converged with a dead process's lease row still in place (taken over when needed). */
  staleLeases: number;
}

async function runLane(database: TestDatabase, lane: string, kills: number): Promise<LaneOutcome> {
  const { db, dialect, url } = database;
  if (!url) throw new Error('the crash test needs a database other processes can reach');
  const rnd = seededRandom(SEED).fork(lane);
  const args: MigrateChildArgs = {
    dialect,
    url,
    history: 'crash',
    batchSize: 100,
    pauseMs: 5,
    poolSize: 2,
    printEvents: true,
  };
  const outcome: LaneOutcome = {
    kills: [],
    rounds: 0,
    runs: 0,
    rowsChecked: 0,
    maxLockWaitMs: 0,
    staleLeases: 0,
  };
  // How long after migrate() starts a kill may land: the last uninterrupted run's duration, +20 %.
  let horizonMs = 1500;
  while (outcome.kills.length < kills) {
    await dropAccounts(db);
    await seedAccounts(db, ROWS);
    outcome.rounds++;
    for (;;) {
      const last = outcome.kills.length >= kills;
      const delayMs = rnd.int(0, horizonMs);
      const r = await runChild(await bundledChild('test/reliability/fixtures/migrate-child.ts'), {
        args: [encodeArgs(args)],
        timeoutMs: 90_000,
        ...(last ? {} : { kill: { marker: 'MIGRATING', afterMs: delayMs } }),
      });
      outcome.runs++;
      const report = lastReport<MigrateChildReport>(r.stdout);
      if (report) outcome.maxLockWaitMs = Math.max(outcome.maxLockWaitMs, report.lockWaitMs);
      if (r.killed) {
        outcome.kills.push({ delayMs, phase: killPhase(r.stdout) });
        // At any moment after a kill: no account lost or duplicated, the journal is a prefix of the history.
        expect(
          await accountIdsIntact(db, ROWS),
          `${lane}: accounts intact after a kill at +${delayMs} ms`,
        ).toBe(true);
        const journal = await readJournal(db);
        expect(journal.map((j) => j.id)).toEqual(CRASH_MIGRATIONS.slice(0, journal.length).map((m) => m.id));
        continue;
      }
      expect(r.timedOut, `${lane}: a rerun finished`).toBe(false);
      expect(report?.error, `${lane}: rerun error (stderr ${r.stderr.slice(-1500)})`).toBeUndefined();
      expect(r.code, `${lane}: rerun exit code (stderr ${r.stderr.slice(-1500)})`).toBe(0);
      const applied = (report?.applied ?? []).filter((a) => a.status === 'Success');
      if (applied.length === CRASH_MIGRATIONS.length - 1 && report) {
        horizonMs = Math.max(300, Math.round((report.finishedAt - report.startedAt) * 1.2));
      }
      break;
    }
    // The round converged: latest version, every row transformed exactly once, journal consistent, no lock.
    expect(journalProblems(await readJournal(db), CRASH_MIGRATIONS), lane).toEqual([]);
    expect(await checkAccounts(db, ROWS, expectedCrashAccount), lane).toEqual({
      rows: ROWS,
      wrong: [],
      missing: [],
      duplicated: [],
    });
    expect(await migrationLockHeld(db, dialect), `${lane}: lock released`).toBe(false);
    if (dialect === 'sqlite') outcome.staleLeases += await staleSqliteLeases(db);
    expect(await leftoverProgress(db), `${lane}: no stale step progress`).toEqual([]);
    outcome.rowsChecked += ROWS;
  }
  return outcome;
}

describeSqlEngines(
  'crash anywhere: migrate',
  (ctx, engine) => {
    it(`a migration history with two backfills and a shadow-column type change killed with SIGKILL at ${KILLS} random points converges on rerun with no row lost, duplicated or transformed twice and a consistent journal`, async () => {
      const extra = await extraDatabases(engine, LANES - 1);
      try {
        const databases = [ctx(), ...extra];
        const perLane = databases.map((_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0));
        const outcomes = await Promise.all(
          databases.map((d, i) => runLane(d, `${engine}#${i}`, perLane[i] ?? 0)),
        );
        const kills = outcomes.flatMap((o) => o.kills);
        const delays = kills.map((k) => k.delayMs);
        console.log(
          `[crash] ${engine}: seed ${SEED}, ${kills.length} kill points (${phaseSummary(kills.map((k) => k.phase))}), ` +
            `delays ${Math.min(...delays)}-${Math.max(...delays)} ms after migrate() began, ` +
            `${outcomes.reduce((s, o) => s + o.runs, 0)} runs in ${outcomes.reduce((s, o) => s + o.rounds, 0)} rounds ` +
            `over ${LANES} databases, ${outcomes.reduce((s, o) => s + o.rowsChecked, 0)} rows checked, ` +
            `max lock wait after a kill ${Math.max(...outcomes.map((o) => o.maxLockWaitMs))} ms` +
            (engine === 'sqlite'
              ? `, stale leases of killed processes ${outcomes.reduce((s, o) => s + o.staleLeases, 0)}`
              : ''),
        );
        expect(kills.length).toBeGreaterThanOrEqual(KILLS);
        for (const o of outcomes) expect(o.maxLockWaitMs).toBeLessThan(MAX_LOCK_WAIT_AFTER_KILL_MS);
      } finally {
        await Promise.all(extra.map((d) => d.destroy()));
      }
    }, 300_000);

    // MySQL commits each DDL statement on its own: a process killed after the DDL ran and before its step was
    // recorded leaves the change in place, and its progress row saying that this statement was under way
    // (recorded before it ran). The rerun must take that object for its own instead of failing on it; an
    // object that no recorded statement was creating is someone else's, and the rerun must not touch it.
    it.skipIf(engine !== 'mysql')(
      'a rerun after a kill between a committed DDL statement and its progress record completes (index already there)',
      async () => {
        const { db } = ctx();
        await dropAccounts(db);
        await seedAccounts(db, 50);
        expect((await migrate(db, { migrations: ACCOUNT_MIGRATIONS.slice(0, 2) })).error).toBeUndefined();
        // 0003's index is built and committed; the process dies before recording it.
        const killed = diesAfter(ctx(), /add index `accounts_displayName_idx`/);
        const first = await migrate(killed, { migrations: ACCOUNT_MIGRATIONS });
        await killed.destroy();
        expect(first.error?.message).toContain(KILLED);
        expect(await leftoverProgress(db)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^0003_add_tier#\d+:running$/)]),
        );
        const result = await migrate(db, { migrations: ACCOUNT_MIGRATIONS });
        expect(result.error).toBeUndefined();
        expect(journalProblems(await readJournal(db), ACCOUNT_MIGRATIONS)).toEqual([]);
      },
    );

    it.skipIf(engine !== 'mysql')(
      'a rerun after a kill between a committed ADD COLUMN and its progress record completes (column already there)',
      async () => {
        const { db } = ctx();
        await dropAccounts(db);
        await seedAccounts(db, 50);
        // 0002's first step (add displayName, nullable) commits; the process dies before recording it.
        const killed = diesAfter(ctx(), /add column `displayName`/);
        const first = await migrate(killed, { migrations: ACCOUNT_MIGRATIONS });
        await killed.destroy();
        expect(first.error?.message).toContain(KILLED);
        const result = await migrate(db, { migrations: ACCOUNT_MIGRATIONS });
        expect(result.error).toBeUndefined();
        expect(await checkAccounts(db, 50)).toEqual({ rows: 50, wrong: [], missing: [], duplicated: [] });
      },
    );

    it.skipIf(engine !== 'mysql')(
      "a rerun does not take an index or column it never recorded creating for its own (someone else's, or a lost journal row)",
      async () => {
        const { db } = ctx();
        await dropAccounts(db);
        await seedAccounts(db, 50);
        expect((await migrate(db, { migrations: ACCOUNT_MIGRATIONS.slice(0, 2) })).error).toBeUndefined();
        // an index of the name 0003 uses, made by someone else, on another column
        await db.schema.createIndex('accounts_displayName_idx').on('accounts').column('name').execute();
        const refused = await migrate(db, { migrations: ACCOUNT_MIGRATIONS });
        expect(refused.error?.code).toBe('MIGRATION_FAILED');
        expect(refused.error?.message).toContain('0003_add_tier');
        await db.schema.dropIndex('accounts_displayName_idx').on('accounts').execute();
        // 0004's column, added by hand before the migration ran: its backfill must not run over it
        await db.schema.alterTable('accounts').addColumn('balanceLabel', 'varchar(100)').execute();
        await db.updateTable('accounts').set({ balanceLabel: 'kept' }).execute();
        const again = await migrate(db, { migrations: ACCOUNT_MIGRATIONS });
        expect(again.error?.code).toBe('MIGRATION_FAILED');
        expect(again.error?.message).toContain('0004_add_balance_label');
        const labels = await db.selectFrom('accounts').select('balanceLabel').execute();
        expect(labels.every((r) => r.balanceLabel === 'kept')).toBe(true);
      },
    );

    it('a lock held by a process killed in the middle of a migration does not block the next run', async () => {
      const { db, dialect, url } = ctx();
      if (!url) throw new Error('needs a URL');
      await dropAccounts(db);
      await seedAccounts(db, ROWS);
      const args: MigrateChildArgs = {
        dialect,
        url,
        batchSize: 50,
        pauseMs: 20,
        poolSize: 2,
        printEvents: true,
      };
      // Killed right after its first backfill batch: it holds the lock and has half-done work.
      const killed = await runChild(await bundledChild('test/reliability/fixtures/migrate-child.ts'), {
        args: [encodeArgs(args)],
        kill: { marker: '"type":"backfill"' },
      });
      expect(killed.killed).toBe(true);
      const started = Date.now();
      const result = await migrate(db, {
        migrations: ACCOUNT_MIGRATIONS,
        lockTimeoutMs: MAX_LOCK_WAIT_AFTER_KILL_MS,
      });
      const waited = Date.now() - started;
      console.log(`[crash] ${engine}: next run after a lock holder was killed finished in ${waited} ms`);
      expect(result.error).toBeUndefined();
      expect(await checkAccounts(db, ROWS)).toEqual({ rows: ROWS, wrong: [], missing: [], duplicated: [] });
      expect(await migrationLockHeld(db, dialect)).toBe(false);
    }, 120_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
