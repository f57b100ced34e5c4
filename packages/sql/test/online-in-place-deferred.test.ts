// Issue 9, point 2: a column rewritten in place (here a JSON key renamed) in a migration that also drops a
// column of its table and then works on another table. The old code writes the column in its old form
// while the other table is backfilled: that write must come out transformed, so the in-place change log
// runs to the migration's end (the drop waits there, after the final catch-up).
import { defineModel, defineSchema, diff, type Migration, toSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { planSqlSteps } from '../src/plan/plan-sql-steps.ts';
import { migrate } from '../src/runtime/index.ts';
import { migrationChain } from './fixtures/migration-chain.ts';
import { leftovers } from './fixtures/online-migrations.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const ACCOUNTS = 'dp_accounts';
const ORDERS = 'dp_orders';
const int = () => z.number().int();
const models = (v: 1 | 2) =>
  toSnapshot(
    defineSchema([
      defineModel('Account', {
        table: ACCOUNTS,
        shape:
          v === 1
            ? { id: int(), prefs: z.object({ language: z.string() }), legacy: z.string().max(20).nullable() }
            : { id: int(), prefs: z.object({ lang: z.string() }) },
      }),
      defineModel('Order', {
        table: ORDERS,
        shape: v === 1 ? { id: int(), n: int() } : { id: int(), n: int(), score: int().nullable() },
      }),
    ]),
  );
const v1 = models(1);
const v2 = models(2);
const migrations: Migration[] = migrationChain([
  { id: '0001_start', snapshot: v1 },
  {
    id: '0002_lang_orders',
    snapshot: v2,
    diff: { renames: { 'Account.prefs.language': 'lang' } },
    extra: {
      transforms: { Order: { score: (old: Record<string, unknown>) => Number(old.n) * 2 } },
      acknowledge: ['Account.legacy'],
    },
  },
]);

const prefsOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

async function atV1(db: Kysely<any>): Promise<void> {
  for (const table of [ACCOUNTS, ORDERS]) await sql`drop table if exists ${sql.table(table)}`.execute(db);
  await resetJournal(db);
  expect((await migrate(db, { migrations: [migrations[0]!] })).error).toBeUndefined();
  await db
    .insertInto(ACCOUNTS)
    .values([1, 2].map((id) => ({ id, prefs: JSON.stringify({ language: 'en' }), legacy: 'x' })))
    .execute();
  const orders = Array.from({ length: 1500 }, (_, i) => ({ id: i + 1, n: i }));
  for (let i = 0; i < orders.length; i += 500) {
    await db
      .insertInto(ORDERS)
      .values(orders.slice(i, i + 500))
      .execute();
  }
}

it('plans the drop of a table whose column is rewritten in place after the other tables’ steps', () => {
  const planned = planSqlSteps(diff(v1, v2, { renames: { 'Account.prefs.language': 'lang' } }), {
    before: v1,
    transforms: { Order: { score: true } },
  });
  const kinds = planned.map((s) => `${s.kind} ${'table' in s ? s.table : ''}`);
  expect(kinds.indexOf(`dropColumn ${ACCOUNTS}`)).toBe(kinds.length - 1);
  expect(kinds.indexOf(`backfill ${ORDERS}`)).toBeLessThan(kinds.indexOf(`dropColumn ${ACCOUNTS}`));
});

describeSqlEngines(
  'online: an in-place rewrite and a drop of its table, then another table',
  (ctx) => {
    settlePoolsAfterAll(ctx);

    it('transforms what the old code writes into the in-place column while the next table is backfilled', async () => {
      const { db, dialect, connect } = ctx();
      await atV1(db);
      // the old application: its own connection (SQLite: its own handle on the file)
      const app = dialect === 'sqlite' ? connect() : db;
      let write: Promise<unknown> | undefined;
      const result = await migrate(db, {
        migrations,
        batchSize: 100,
        onProgress(event) {
          // the old code, during the other table's backfill: the old JSON form, and its column to be dropped
          if (event.type === 'backfill' && event.table === ORDERS && !write) {
            write = app
              .updateTable(ACCOUNTS)
              .set({ prefs: JSON.stringify({ language: 'fr' }), legacy: 'y' })
              .where('id', '=', 1)
              .execute();
          }
        },
      });
      await write;
      expect(write, 'the writer ran during the backfill of the other table').toBeDefined();
      expect(result.error).toBeUndefined();
      const rows = await db.selectFrom(ACCOUNTS).select(['id', 'prefs']).orderBy('id').execute();
      expect(rows.map((r) => prefsOf(r.prefs))).toEqual([{ lang: 'fr' }, { lang: 'en' }]);
      expect(await leftovers(db, dialect)).toEqual([]);
    });
  },
  // (PGlite has one connection: no application can write during the migration)
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
