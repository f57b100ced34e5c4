import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { capabilitiesFor } from '../src/runtime/index.ts';
import { leaseKeeper } from '../src/runtime/lease-keeper.ts';
import { createLockTable, LOCK_TABLE } from '../src/runtime/lock-table.ts';
import { takeLease } from '../src/runtime/take-lease.ts';

const LEASE_MS = 900; // renewals are due every 300 ms

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const expiresAt = async (db: Kysely<any>) =>
  Number(
    (await sql<{ e: number }>`select expires_at as e from ${sql.table(LOCK_TABLE)}`.execute(db)).rows[0]?.e,
  );
/** Makes every renewal fail with an error that is not LOCK_LOST (as a busy database does), or undoes it. */
const breakRenewals = (db: Kysely<any>, broken: boolean) =>
  broken
    ? sql`alter table ${sql.table(LOCK_TABLE)} rename to evolve_lock_away`.execute(db)
    : sql`alter table evolve_lock_away rename to ${sql.table(LOCK_TABLE)}`.execute(db);

describeSqlEngines(
  'lease keeper: a renewal that fails for a moment',
  (ctx) => {
    it('is tried again at the next keepAlive while two thirds of the lease remain, then fails the run', async () => {
      const { db } = ctx();
      await sql`drop table if exists evolve_lock_away`.execute(db);
      await sql`drop table if exists ${sql.table(LOCK_TABLE)}`.execute(db);
      await createLockTable(db);
      const attempt = await takeLease(db, capabilitiesFor(db), { owner: 'keeper-test', leaseMs: LEASE_MS });
      if (!('lease' in attempt)) throw new Error('lock not taken');
      const keeper = leaseKeeper(db, attempt.lease);
      try {
        // broken from the start: the pool timer's renewals fail too, so the renewal stays due
        await breakRenewals(db, true);
        await pause(350);
        await expect(keeper.keepAlive(db)).resolves.toBeUndefined(); // due, failed, tolerated
        await breakRenewals(db, false);
        const before = await expiresAt(db);
        await keeper.keepAlive(db); // still due: renews now
        expect(await expiresAt(db)).toBeGreaterThan(before);

        await breakRenewals(db, true);
        await pause(700); // more than two thirds of the lease since the last renewal
        await expect(keeper.keepAlive(db)).rejects.toThrow(/evolve_lock/);
        await breakRenewals(db, false);
      } finally {
        await keeper.stop();
      }
    });
  },
  { engines: ['sqlite'] },
);
