import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../src/runtime/index.ts';
import {
  addColumn,
  backfill,
  dropColumn,
  setNotNull,
  sqlExpression,
} from '../src/steps/step-constructors.ts';
import {
  leftovers,
  migrateUntil,
  migrateWhileWriting,
  seededAtFirst,
  twoVersions,
} from './fixtures/online-migrations.ts';
import { writesBefore } from './fixtures/online-start-writer.ts';
import type { WriterLog } from './fixtures/online-writer.ts';
import { settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'or_items';
const ROWS = 4000;
const int = () => z.number().int();
const shapes = {
  v1: { id: int(), name: z.string().max(40) },
  v2: { id: int(), name: z.string().max(40), label: z.string().max(60) },
};
const label = (name: unknown) => `L-${String(name)}`;

/** The required field computed by a TS transform (the planner's addColumn, backfill, NOT NULL). */
const byTransform = twoVersions(TABLE, shapes, {
  slug: 'label_ts',
  transforms: { Item: { label: (old) => label(old.name) } },
});
/** The same field computed by a SQL expression, in a hand-written sql section. */
const byExpression = twoVersions(TABLE, shapes, {
  slug: 'label_sql',
  sql: {
    up: [
      addColumn(TABLE, 'label', { type: { kind: 'string', maxLength: 60 }, nullable: true }),
      backfill('Item', { label: sqlExpression("concat('L-', name)") }, { table: TABLE }),
      setNotNull(TABLE, 'label'),
    ],
    down: [dropColumn(TABLE, 'label')],
  },
  acknowledge: ['Item.label'],
});

const SEED = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, name: `n${i + 1}` }));

/** Every row's label: NULLs, and rows whose label is not the one their name gives. */
async function check(db: Kysely<any>, log: WriterLog, contractAt: number) {
  const rows = await db.selectFrom(TABLE).select(['id', 'name', 'label']).execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const carried = writesBefore(log, contractAt);
  const missing = [...carried.keys()].filter((id) => !byId.has(id));
  // a row last written after the contract began may keep the label of its earlier name: the derived
  // value is the new code's to maintain from then on
  const late = new Set(
    Object.keys(log.last)
      .filter((id) => !carried.has(Number(id)))
      .map(Number),
  );
  const wrong = rows.filter((r) => !late.has(Number(r.id)) && r.label !== label(r.name));
  const stale = [...carried]
    .filter(([id, value]) => String(byId.get(id)?.name) !== String(value))
    .map(([id, value]) => ({ id, wrote: value, found: byId.get(id) }));
  return { rows, carried, missing, wrong, stale, nulls: rows.filter((r) => r.label === null) };
}

describeSqlEngines(
  'online: a new required field while the old code inserts',
  (ctx, engine) => {
    settlePoolsAfterAll(ctx);

    it.each([
      { how: 'TS transform', migrations: byTransform },
      { how: 'SQL expression', migrations: byExpression },
    ])(
      'gives rows the old code inserts during the backfill their value before NOT NULL ($how)',
      async ({ how, migrations }) => {
        const database = ctx();
        const { db, dialect } = database;
        await seededAtFirst(db, TABLE, migrations, SEED);
        const { result, log, watch } = await migrateWhileWriting(database, migrations, {
          table: TABLE,
          seeded: ROWS,
          firstNewId: 100_000,
          column: 'name',
          fixed: {},
          insertEvery: 2,
          pauseMs: 1,
          seed: 99,
          text: true,
        });
        const found = await check(db, log, watch.contractAt());
        console.log(
          `[online] ${engine}: required field (${how}), ${watch.batches()} batches; the writer made ${log.writes} writes ` +
            `(${log.inserted.length} inserts), ${found.carried.size} rows last written before the contract; ` +
            `${found.nulls.length} NULL, ${found.wrong.length} wrong, ${log.errors.length} writer errors (after the contract: the old insert lacks the field)`,
        );
        expect(result.error).toBeUndefined();
        expect(found.nulls).toEqual([]);
        expect(found.missing).toEqual([]);
        expect(found.stale).toEqual([]);
        expect(found.wrong.slice(0, 10)).toEqual([]);
        expect(log.errors.filter((e) => e.at < watch.contractAt())).toEqual([]);
        expect(log.inserted.length).toBeGreaterThan(20);
        expect(await leftovers(db, dialect)).toEqual([]);
        const again = await migrate(db, { migrations });
        expect(again.error).toBeUndefined();
        expect(again.applied).toEqual([]);
      },
      120_000,
    );

    it('a rerun after an interrupted run drains the writes logged meanwhile and backfills NULLs left behind, then sets NOT NULL', async () => {
      const database = ctx();
      const { db, dialect } = database;
      const migrations = byTransform;
      await seededAtFirst(db, TABLE, migrations, SEED);
      // stop right after the backfill finishes: its segment is recorded done, the contract has not run
      await migrateUntil(db, migrations, (e) => e.type === 'backfill' && e.done, { batchSize: 500 });
      // the old code goes on inserting (logged) while nothing migrates...
      await db
        .insertInto(TABLE)
        .values([
          { id: 200_001, name: 'late one' },
          { id: 200_002, name: 'late two' },
        ])
        .execute();
      await db.updateTable(TABLE).set({ name: 'renamed' }).where('id', '=', 7).execute();
      // ...and NULLs appear that no log knows of (as a run planned without change logs would leave them)
      await db.updateTable(TABLE).set({ label: null }).where('id', 'in', [3, 4, 5]).execute();

      const second = await migrate(db, { migrations, batchSize: 500 });
      expect(second.error).toBeUndefined();
      const rows = await db.selectFrom(TABLE).select(['id', 'name', 'label']).orderBy('id').execute();
      expect(rows.filter((r) => r.label !== label(r.name))).toEqual([]);
      expect(rows).toHaveLength(ROWS + 2);
      expect(rows.find((r) => Number(r.id) === 7)?.label).toBe('L-renamed');
      expect(await leftovers(db, dialect)).toEqual([]);
    }, 120_000);

    it('a rerun after a crash that left the change log without its triggers computes the new column again for every row', async () => {
      const database = ctx();
      const { db, dialect } = database;
      const migrations = byTransform;
      await seededAtFirst(db, TABLE, migrations, SEED);
      await migrateUntil(db, migrations, (e) => e.type === 'backfill' && e.done, { batchSize: 500 });
      // what a process killed inside a MySQL catch-up leaves: the log, its triggers dropped
      for (const name of (await leftovers(db, dialect)).filter((n) => n.startsWith('_evolve_sync'))) {
        const on = dialect === 'postgres' ? sql` on ${sql.table(TABLE)}` : sql``;
        await sql`drop trigger ${sql.id(name)}${on}`.execute(db);
      }
      // the old code writes meanwhile, unlogged
      await db.insertInto(TABLE).values({ id: 300_001, name: 'unlogged' }).execute();
      await db.updateTable(TABLE).set({ name: 'changed' }).where('id', 'in', [10, 11]).execute();

      const second = await migrate(db, { migrations, batchSize: 500 });
      expect(second.error).toBeUndefined();
      const rows = await db.selectFrom(TABLE).select(['id', 'name', 'label']).execute();
      expect(rows.filter((r) => r.label !== label(r.name))).toEqual([]);
      expect(await leftovers(db, dialect)).toEqual([]);
    }, 120_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
