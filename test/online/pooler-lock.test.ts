import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeEngine,
  describeSqlEngines,
  kyselyFor,
  type PgBouncer,
  startPgbouncer,
} from '@evolve/harness';
import { type MigrateResult, migrate } from '@evolve/sql';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS } from '../reliability/support/account-history.ts';
import {
  checkAccounts,
  dropAccounts,
  holdingMigrationLock,
  journalProblems,
  migrationLockHeld,
  readJournal,
  seedAccounts,
} from '../reliability/support/accounts-db.ts';
import { bundledChild } from '../reliability/support/bundle-child.ts';
import { encodeArgs } from '../reliability/support/child-args.ts';
import { countConnections, sampleMax } from '../reliability/support/count-connections.ts';
import type { MigrateChildArgs, MigrateChildReport } from '../reliability/support/migrate-child-types.ts';
import { lastReport, startChild } from '../reliability/support/run-child.ts';

const PROCESSES = 20;
const ROWS = 5000;
const WAITERS = 200;
/** PgBouncer's server connections per database (`default_pool_size`). */
const POOL_SIZE = 4;

/**
 * The test database by name, and its server with the `postgres` database in the URL (PgBouncer's start-up
 * check connects there, so that every server connection on the test database is one the clients caused).
 */
function names(url: string): { database: string; serverUrl: string } {
  const server = new URL(url);
  const database = server.pathname.slice(1);
  server.pathname = '/postgres';
  return { database, serverUrl: server.toString() };
}

/** Server connections on the test database (PgBouncer's), the observer's own excluded. */
const serverConnections = (observer: Kysely<any>) => countConnections(observer, 'postgres');

describeEngine('pgbouncer', 'migrate() through PgBouncer', () => {
  describeSqlEngines(
    'pooler',
    (ctx) => {
      for (const poolMode of ['transaction', 'session'] as const) {
        it(`${poolMode} pooling (default_pool_size ${POOL_SIZE}): ${PROCESSES} processes with pending migrations and a ${ROWS}-row backfill all exit 0, each migration is applied once, no lock is left, a fresh migrate() is a no-op, and the server never sees more than ${POOL_SIZE} connections`, async () => {
          const { url } = ctx();
          if (!url) throw new Error('needs a URL');
          const { database, serverUrl } = names(url);
          // The harness's shared instance stays unused: every server connection counted is PgBouncer's.
          const direct = await kyselyFor('postgres', url, { poolSize: 1 });
          const dir = mkdtempSync(join(tmpdir(), 'evolve-pooler-'));
          let bouncer: PgBouncer | undefined;
          const running: { kill(): void }[] = [];
          try {
            await dropAccounts(direct);
            await seedAccounts(direct, ROWS);
            bouncer = await startPgbouncer({ serverUrl, poolMode, poolSize: POOL_SIZE });
            const pooled = bouncer.url(database);
            // Session pooling gives each client connection a server connection until it disconnects: with
            // more processes than the pool, the rest queue in PgBouncer, so there is no start barrier.
            const goFile = poolMode === 'transaction' ? join(dir, 'go') : undefined;
            const args: MigrateChildArgs = {
              dialect: 'postgres',
              url: pooled,
              ...(goFile ? { goFile } : {}),
              batchSize: 250,
              pauseMs: 10,
              poolSize: 2,
            };
            const script = await bundledChild('test/reliability/fixtures/migrate-child.ts');
            const peak = sampleMax(() => serverConnections(direct));
            const children = Array.from({ length: PROCESSES }, () =>
              startChild(script, { args: [encodeArgs(args)], timeoutMs: 180_000 }),
            );
            running.push(...children);
            if (goFile) {
              await Promise.all(children.map((c) => c.waitFor('READY')));
              writeFileSync(goFile, String(Date.now()));
            }
            const results = await Promise.all(children.map((c) => c.result));
            const seen = await peak.stop();

            const reports = results.map((r, i) => {
              const report = lastReport<MigrateChildReport>(r.stdout);
              expect(
                report,
                `process ${i} reported (exit ${r.code}, stderr ${r.stderr.slice(-1500)})`,
              ).toBeDefined();
              expect(r.code, `process ${i} exit code (error ${JSON.stringify(report?.error)})`).toBe(0);
              return report as MigrateChildReport;
            });
            const ids = ACCOUNT_MIGRATIONS.map((m) => m.id);
            const runs = new Map(ids.map((id) => [id, 0]));
            for (const report of reports) {
              for (const a of report.applied)
                if (a.status === 'Success') runs.set(a.id, (runs.get(a.id) ?? 0) + 1);
            }
            // 0001 ran during seeding.
            expect(Object.fromEntries(runs)).toEqual(
              Object.fromEntries(ids.map((id, i) => [id, i === 0 ? 0 : 1])),
            );
            expect(journalProblems(await readJournal(direct), ACCOUNT_MIGRATIONS)).toEqual([]);
            for (const report of reports) expect(report.journalIds).toEqual(ids);
            expect(await checkAccounts(direct, ROWS)).toEqual({
              rows: ROWS,
              wrong: [],
              missing: [],
              duplicated: [],
            });
            expect(await migrationLockHeld(direct)).toBe(false);

            const fresh = await kyselyFor('postgres', pooled, { poolSize: 1 });
            try {
              const again = await migrate(fresh, { migrations: ACCOUNT_MIGRATIONS, lockTimeoutMs: 2000 });
              expect(again.error).toBeUndefined();
              expect(again.applied).toEqual([]);
            } finally {
              await fresh.destroy();
            }
            const waits = reports.map((r) => r.finishedAt - r.startedAt);
            console.log(
              `[pooler] ${poolMode} pooling: ${PROCESSES} processes, ${ROWS} rows, all exited 0, ` +
                `peak ${seen.max} server connections (${seen.samples} samples, default_pool_size ${POOL_SIZE}), ` +
                `longest migrate() ${Math.max(...waits)} ms`,
            );
            expect(seen.samples).toBeGreaterThan(10);
            expect(seen.max, 'server connections on the test database').toBeLessThanOrEqual(POOL_SIZE);
          } finally {
            for (const c of running) c.kill();
            await bouncer?.stop();
            await direct.destroy();
            rmSync(dir, { recursive: true, force: true });
          }
        }, 240_000);
      }

      it(`transaction pooling: ${WAITERS} instances waiting for the lock hold no server connection while they wait (the server sees at most ${POOL_SIZE}), then all return, one having migrated`, async () => {
        const { url } = ctx();
        if (!url) throw new Error('needs a URL');
        const { database, serverUrl } = names(url);
        const direct = await kyselyFor('postgres', url, { poolSize: 1 });
        const bouncer = await startPgbouncer({ serverUrl, poolMode: 'transaction', poolSize: POOL_SIZE });
        const instances: Kysely<any>[] = [];
        try {
          await dropAccounts(direct);
          await seedAccounts(direct, 500);
          for (let i = 0; i < WAITERS; i++) {
            instances.push(await kyselyFor('postgres', bouncer.url(database), { poolSize: 1 }));
          }
          const waiting = new Set<number>();
          let allWaiting: () => void = () => {};
          const everyoneWaits = new Promise<void>((resolve) => {
            allWaiting = resolve;
          });
          let calls: Promise<MigrateResult>[] = [];
          let peakWhileWaiting = { max: 0, samples: 0 };
          let slowestProbe = { max: 0, samples: 0 };
          // Another client of the same pooler: the waiters must leave it a server connection.
          const probeDb = await kyselyFor('postgres', bouncer.url(database), { poolSize: 1 });
          await holdingMigrationLock(direct, async () => {
            const peak = sampleMax(() => serverConnections(direct));
            const probe = sampleMax(async () => {
              const started = performance.now();
              await sql`select 1`.execute(probeDb);
              return Math.round(performance.now() - started);
            }, 50);
            calls = instances.map((db, i) =>
              migrate(db, {
                migrations: ACCOUNT_MIGRATIONS,
                lockTimeoutMs: 120_000,
                onProgress: (event) => {
                  if (event.type !== 'lock-wait') return;
                  waiting.add(i);
                  if (waiting.size === WAITERS) allWaiting();
                },
              }),
            );
            await everyoneWaits;
            // Everyone polls for a while longer: a second of backoff at its longest.
            await new Promise((resolve) => setTimeout(resolve, 2500));
            peakWhileWaiting = await peak.stop();
            slowestProbe = await probe.stop();
          });
          await probeDb.destroy();
          const results = await Promise.all(calls);
          expect(results.map((r) => r.error?.code)).toEqual(Array(WAITERS).fill(undefined));
          const migrators = results.filter((r) => r.applied.some((a) => a.status === 'Success'));
          expect(migrators).toHaveLength(1);
          expect(journalProblems(await readJournal(direct), ACCOUNT_MIGRATIONS)).toEqual([]);
          expect(await migrationLockHeld(direct)).toBe(false);
          console.log(
            `[pooler] ${WAITERS} instances waiting through transaction pooling: peak ${peakWhileWaiting.max} server ` +
              `connections (${peakWhileWaiting.samples} samples, default_pool_size ${POOL_SIZE}), another client's ` +
              `select 1 through the pooler took at most ${slowestProbe.max} ms (${slowestProbe.samples} probes); ` +
              'all returned, 1 migrated',
          );
          expect(peakWhileWaiting.samples).toBeGreaterThanOrEqual(5);
          expect(peakWhileWaiting.max, 'server connections while everyone waits').toBeLessThanOrEqual(
            POOL_SIZE,
          );
          // Waiters that held server connections (a blocking lock, an open transaction) would starve it.
          expect(slowestProbe.max, "another client's query while everyone waits (ms)").toBeLessThan(2_000);
        } finally {
          await Promise.all(instances.map((db) => db.destroy().catch(() => {})));
          await bouncer.stop();
          await direct.destroy();
        }
      }, 240_000);
    },
    { engines: ['postgres'] },
  );
});
