import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSqlEngines } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS } from './support/account-history.ts';
import {
  checkAccounts,
  dropAccounts,
  journalProblems,
  migrationLockHeld,
  readJournal,
  seedAccounts,
} from './support/accounts-db.ts';
import { bundledChild } from './support/bundle-child.ts';
import { encodeArgs } from './support/child-args.ts';
import type { MigrateChildArgs, MigrateChildReport } from './support/migrate-child-types.ts';
import { lastReport, startChild } from './support/run-child.ts';

const PROCESSES = 20;
const ROWS = 3000;
/**
 * How much longer than the migration itself a waiting instance may take: lock polling, reading the journal
 * after the winner released the lock, and 20 node processes sharing 2 CPU cores.
 */
const WAIT_BOUND_MS = 2000;

describeSqlEngines(
  'stampede',
  (ctx, engine) => {
    it(`${PROCESSES} processes calling migrate() at the same moment apply every migration exactly once, all succeed with the schema current, none waits beyond the migration plus ${WAIT_BOUND_MS} ms, and no lock is left behind`, async () => {
      const { db, dialect, url } = ctx();
      if (!url) throw new Error('the stampede needs a database other processes can reach');
      await dropAccounts(db);
      await seedAccounts(db, ROWS);
      const dir = mkdtempSync(join(tmpdir(), 'evolve-stampede-'));
      const goFile = join(dir, 'go');
      const running: { kill(): void }[] = [];
      try {
        const args: MigrateChildArgs = { dialect, url, goFile, batchSize: 250, pauseMs: 10, poolSize: 2 };
        const script = await bundledChild('test/reliability/fixtures/migrate-child.ts');
        const children = Array.from({ length: PROCESSES }, () =>
          startChild(script, {
            args: [encodeArgs(args)],
            timeoutMs: 150_000,
          }),
        );
        running.push(...children);
        // The start barrier: every process has loaded its code and opened its connection before any starts.
        await Promise.all(children.map((c) => c.waitFor('READY')));
        writeFileSync(goFile, String(Date.now()));
        const results = await Promise.all(children.map((c) => c.result));

        const reports = results.map((r, i) => {
          const report = lastReport<MigrateChildReport>(r.stdout);
          expect(
            report,
            `process ${i} reported (exit ${r.code}, stderr: ${r.stderr.slice(-1500)})`,
          ).toBeDefined();
          return report as MigrateChildReport;
        });
        for (const [i, r] of results.entries()) {
          expect(reports[i]?.error, `process ${i} migrate() error`).toBeUndefined();
          expect(r.code, `process ${i} exit code (stderr: ${r.stderr.slice(-1500)})`).toBe(0);
        }

        const ids = ACCOUNT_MIGRATIONS.map((m) => m.id);
        // Exactly once: one process ran each migration, and the journal holds it once.
        const runs = new Map(ids.map((id) => [id, 0]));
        for (const report of reports) {
          for (const a of report.applied) {
            if (a.status === 'Success') runs.set(a.id, (runs.get(a.id) ?? 0) + 1);
            expect(a.status, `${a.id} in process ${report.pid}`).not.toBe('Error');
          }
        }
        // 0001 ran during seeding, before the stampede.
        expect(Object.fromEntries(runs)).toEqual(
          Object.fromEntries(ids.map((id, i) => [id, i === 0 ? 0 : 1])),
        );
        expect(journalProblems(await readJournal(db), ACCOUNT_MIGRATIONS)).toEqual([]);
        // Every process saw the current schema when migrate() returned.
        for (const report of reports) expect(report.journalIds).toEqual(ids);
        // Backfilled data: every row transformed once, none lost.
        const check = await checkAccounts(db, ROWS);
        expect(check).toEqual({ rows: ROWS, wrong: [], missing: [], duplicated: [] });

        // Waiting: nobody waits much longer than the migration took. "The migration itself" is the winner's
        // whole call (lock, journal, every step and backfill); a waiter may exceed it by the bound.
        const winners = reports.filter((r) => r.applied.some((a) => a.status === 'Success'));
        const migrationMs = Math.max(...winners.map((r) => r.finishedAt - r.startedAt));
        const stepsMs = Math.round(
          winners.flatMap((r) => r.applied).reduce((sum, a) => sum + a.durationMs, 0),
        );
        const waits = reports.map((r) => r.finishedAt - r.startedAt);
        const maxWait = Math.max(...waits);
        const spread =
          Math.max(...reports.map((r) => r.startedAt)) - Math.min(...reports.map((r) => r.startedAt));
        console.log(
          `[stampede] ${engine}: ${PROCESSES} processes, ${ids.length - 1} migrations, applied once each ` +
            `(by ${winners.length} process), ${ROWS} rows backfilled and checked, migration ${migrationMs} ms ` +
            `(steps ${stepsMs} ms), max wait ${maxWait} ms (+${maxWait - migrationMs} ms), start spread ${spread} ms; ` +
            `returns after the winner (ms): ${reports
              .map((r) => r.finishedAt - Math.max(...winners.map((w) => w.finishedAt)))
              .sort((a, b) => a - b)
              .join(' ')}`,
        );
        expect(maxWait).toBeLessThanOrEqual(migrationMs + WAIT_BOUND_MS);

        // No lock left behind: nobody holds it, and a new instance migrates (a no-op) at once.
        expect(await migrationLockHeld(db, dialect)).toBe(false);
        const again = await migrate(db, { migrations: ACCOUNT_MIGRATIONS, lockTimeoutMs: 2000 });
        expect(again.error).toBeUndefined();
        expect(again.applied.filter((a) => a.status === 'Success')).toEqual([]);
        expect(await migrationLockHeld(db, dialect)).toBe(false);
      } finally {
        for (const c of running) c.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
