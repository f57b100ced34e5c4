import { describeSqlEngines, kyselyFor, waitForStable } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS } from './support/account-history.ts';
import { checkAccounts, dropAccounts, seedAccounts } from './support/accounts-db.ts';
import {
  busyConnections,
  countConnections,
  countForeignConnections,
  sampleMax,
} from './support/count-connections.ts';

const ROWS = 2000;
const CALLS = 100;
const APP = 'evolve_hygiene_app';

describeSqlEngines(
  'connection hygiene',
  (ctx, engine) => {
    it(`migrate() uses only the given Kysely instance, holds at most one connection during a slow backfill, returns it, and ${CALLS} calls leave no extra idle connections`, async () => {
      const { db: harnessDb, dialect, url } = ctx();
      if (!url) throw new Error('needs a URL');
      await dropAccounts(harnessDb);
      await seedAccounts(harnessDb, ROWS);
      // One observer session: its samplers queue on it instead of opening more sessions themselves.
      const observer = await kyselyFor(dialect, url, { poolSize: 1 });
      const count = () => countConnections(observer, dialect, url);
      const baseline = await waitForStable(count, { what: 'server sessions before the run' });
      // The application's own pool, with room for more than one connection; PostgreSQL sessions carry a name.
      const appUrl = dialect === 'postgres' ? `${url}?application_name=${APP}` : url;
      const app: Kysely<any> = await kyselyFor(dialect, appUrl, { poolSize: 4 });
      try {
        const sampler = sampleMax(async () => (await count()) - baseline);
        const foreign =
          dialect === 'postgres' ? sampleMax(() => countForeignConnections(observer, APP)) : undefined;
        const foreignBaseline = dialect === 'postgres' ? await countForeignConnections(observer, APP) : 0;
        const result = await migrate(app, { migrations: ACCOUNT_MIGRATIONS, batchSize: 100, pauseMs: 30 });
        const during = await sampler.stop();
        const foreignDuring = await foreign?.stop();
        expect(result.error).toBeUndefined();
        expect(await checkAccounts(observer, ROWS)).toMatchObject({ rows: ROWS, wrong: [], missing: [] });
        expect(during.samples).toBeGreaterThan(10);
        expect(during.max, 'connections held during the run beyond the baseline').toBeLessThanOrEqual(1);
        if (foreignDuring) {
          expect(foreignDuring.max, 'sessions not opened through the given Kysely').toBeLessThanOrEqual(
            foreignBaseline,
          );
        }
        if (dialect !== 'sqlite') {
          expect(await busyConnections(observer, dialect), 'connections still busy after return').toEqual([]);
        }
        const afterFirst = (await count()) - baseline;

        for (let i = 0; i < CALLS; i++) {
          const again = await migrate(app, { migrations: ACCOUNT_MIGRATIONS });
          expect(again.error).toBeUndefined();
        }
        const afterCalls = (await count()) - baseline;
        console.log(
          `[hygiene] ${engine}: baseline ${baseline} sessions, during a ${ROWS}-row backfill at most +${during.max} ` +
            `(${during.samples} samples), after it +${afterFirst}, after ${CALLS} more calls +${afterCalls}`,
        );
        expect(afterCalls, `extra connections after ${CALLS} calls`).toBeLessThanOrEqual(1);
        if (dialect !== 'sqlite') expect(await busyConnections(observer, dialect)).toEqual([]);
        await app.destroy();
        // Once the application closes its pool, nothing evolve opened stays behind: the server ends the
        // sessions a moment after the pool closes them, so read the count until it settles.
        expect(await waitForStable(count, { what: 'server sessions after destroy' })).toBe(baseline);
      } finally {
        await app.destroy().catch(() => {});
        await observer.destroy();
      }
    }, 120_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
