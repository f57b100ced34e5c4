import {
  describeEngine,
  describeSqlEngines,
  kyselyFor,
  type PgBouncer,
  startPgbouncer,
} from '@evolve/harness';
import { type MigrateProgressEvent, migrate } from '@evolve/sql';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS } from '../reliability/support/account-history.ts';
import { checkAccounts, dropAccounts, seedAccounts } from '../reliability/support/accounts-db.ts';

const ROWS = 300;
const HOLD_MS = 1500;

/** The test database by name, and its server with the `postgres` database in the URL (PgBouncer's check). */
function names(url: string): { database: string; serverUrl: string } {
  const server = new URL(url);
  const database = server.pathname.slice(1);
  server.pathname = '/postgres';
  return { database, serverUrl: server.toString() };
}

describeEngine('pgbouncer', 'statement lock timeouts through PgBouncer', () => {
  describeSqlEngines(
    'pooler lock timeouts',
    (ctx) => {
      it(`transaction pooling: DDL behind a ${HOLD_MS} ms transaction retries under a per-transaction lock_timeout and finishes; no pooled server connection keeps a lock_timeout`, async () => {
        const { url } = ctx();
        if (!url) throw new Error('needs a URL');
        const { database, serverUrl } = names(url);
        const direct = await kyselyFor('postgres', url, { poolSize: 1 });
        const holder = await kyselyFor('postgres', url, { poolSize: 1 });
        let bouncer: PgBouncer | undefined;
        try {
          await dropAccounts(direct);
          await seedAccounts(direct, ROWS);
          bouncer = await startPgbouncer({ serverUrl, poolMode: 'transaction', poolSize: 2 });
          const pooled = await kyselyFor('postgres', bouncer.url(database), { poolSize: 4 });
          try {
            let letGo: () => void = () => {};
            const released = new Promise<void>((resolve) => {
              letGo = resolve;
            });
            let ready: () => void = () => {};
            const taken = new Promise<void>((resolve) => {
              ready = resolve;
            });
            const held = holder.connection().execute(async (conn) => {
              await sql`begin`.execute(conn);
              await sql`select count(*) from accounts`.execute(conn);
              ready();
              await released;
              await sql`commit`.execute(conn);
            });
            await taken;
            setTimeout(letGo, HOLD_MS);
            const events: MigrateProgressEvent[] = [];
            const started = performance.now();
            const result = await migrate(pooled, {
              migrations: ACCOUNT_MIGRATIONS,
              statementLockTimeoutMs: 300,
              lockRetries: 10,
              lockRetryDelayMs: 50,
              onProgress: (e) => events.push(e),
            });
            const tookMs = performance.now() - started;
            await held;
            expect(result.error).toBeUndefined();
            const retries = events.filter((e) => e.type === 'lock-retry');
            expect(retries.length).toBeGreaterThan(0);
            console.log(`[pooler] first lock-retry: ${JSON.stringify(retries[0])}`);
            expect(retries[0]?.type === 'lock-retry' && retries[0].table.split(', ')).toContain('accounts');
            expect(await checkAccounts(direct, ROWS)).toEqual({
              rows: ROWS,
              wrong: [],
              missing: [],
              duplicated: [],
            });
            // every server connection the pooler hands out still has the server's default
            const settings = await Promise.all(
              Array.from({ length: 12 }, () =>
                sql<{ v: string }>`select current_setting('lock_timeout') as v, pg_sleep(0.02)`.execute(
                  pooled,
                ),
              ),
            );
            expect(new Set(settings.map((r) => r.rows[0]?.v))).toEqual(new Set(['0']));
            console.log(
              `[pooler] lock timeouts: migrate() waited out a ${HOLD_MS} ms transaction in ${Math.round(tookMs)} ms with ${retries.length} retries through transaction pooling`,
            );
          } finally {
            await pooled.destroy();
          }
        } finally {
          await bouncer?.stop();
          await Promise.all([direct.destroy(), holder.destroy()]);
        }
      }, 60_000);
    },
    { engines: ['postgres'] },
  );
});
