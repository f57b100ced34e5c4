import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { migrate } from '../src/runtime/index.ts';
import {
  resetJournal,
  seedRows,
  settlePoolsAfterAll,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

// A TS backfill without change log on PostgreSQL reads each batch unlocked, before the batch's transaction,
// and writes only the rows whose version (xmin) is still the one it read. These tests put an application
// write exactly between a batch's read and its write, from another connection of the pool, on the server.

/** A migration whose TS transform appends `*` to the label it reads, without change log. */
const starLabels = (id: string) =>
  testMigration(
    id,
    {
      up: () => [
        {
          description: 'backfill vb_items',
          transactional: false,
          statements: [],
          backfill: {
            model: 'Item',
            table: 'vb_items',
            key: ['id'],
            read: { label: 'label' },
            set: { label: { transform: { model: 'Item', field: 'label' } } },
          },
        },
      ],
    },
    { transforms: { Item: { label: (old) => `${String(old.label)}*` } } },
  );

/**
 * The Kysely migrate() runs on, with `between` run after each unlocked batch read (before the batch's
 * write), and the SQL of every query it ran.
 */
function watched(db: Kysely<any>, between: (keys: number[]) => Promise<void>) {
  const queries: string[] = [];
  const sqlOf = new Map<unknown, string>();
  return {
    queries,
    db: db.withPlugin({
      transformQuery: (args) => {
        const text = db.getExecutor().compileQuery(args.node, args.queryId).sql.toLowerCase();
        queries.push(text);
        sqlOf.set(args.queryId, text);
        return args.node;
      },
      transformResult: async (args) => {
        if (sqlOf.get(args.queryId)?.includes('evolve_row_version'))
          await between(args.result.rows.map((r) => Number((r as { id: unknown }).id)));
        return args.result;
      },
    }),
  };
}

describeSqlEngines(
  'migrate: TS backfill checked by row versions',
  (ctx) => {
    settlePoolsAfterAll(ctx);
    beforeEach(async () => {
      const { db } = ctx();
      await resetJournal(db);
      await sql`drop table if exists vb_items`.execute(db);
      await sql`create table vb_items (id integer primary key, label varchar(100))`.execute(db);
      await seedRows(db, 'vb_items', 95);
    });
    const labels = async () =>
      (await ctx().db.selectFrom('vb_items').select(['id', 'label']).orderBy('id').execute()).map(
        (r) => r.label,
      );

    it('reads its batches unlocked and writes each row once when nothing else writes', async () => {
      const { db } = ctx();
      const run = watched(db, async () => {});
      const result = await migrate(run.db, {
        migrations: [starLabels('0001_vb')],
        compile: testCompile,
        batchSize: 10,
      });
      expect(result.error).toBeUndefined();
      expect(await labels()).toEqual(Array.from({ length: 95 }, (_, i) => `r${i + 1}*`));
      expect(run.queries.filter((q) => q.includes('evolve_row_version')).length).toBeGreaterThanOrEqual(10);
      expect(run.queries.filter((q) => q.includes('for update'))).toEqual([]);
    });

    it('loses no write the application makes between a batch read and its write: the batch is redone locked', async () => {
      const { db } = ctx();
      let raced = 0;
      // in the third batch, another connection rewrites two of the rows the batch just read
      const run = watched(db, async (keys) => {
        if (!keys.includes(25) || raced > 0) return;
        raced++;
        await db.updateTable('vb_items').set({ label: 'app' }).where('id', 'in', [23, 27]).execute();
      });
      const result = await migrate(run.db, {
        migrations: [starLabels('0002_vb')],
        compile: testCompile,
        batchSize: 10,
      });
      expect(result.error).toBeUndefined();
      expect(raced).toBe(1);
      // the application's rows carry its value, transformed once; every other row transformed once
      expect(await labels()).toEqual(
        Array.from({ length: 95 }, (_, i) => (i + 1 === 23 || i + 1 === 27 ? 'app*' : `r${i + 1}*`)),
      );
      // exactly the raced batch was read again, locked
      expect(run.queries.filter((q) => q.includes('for update'))).toHaveLength(1);
    });

    it('redoes a batch whose row the application deleted meanwhile, writing the others once', async () => {
      const { db } = ctx();
      let raced = 0;
      const run = watched(db, async (keys) => {
        if (!keys.includes(45) || raced > 0) return;
        raced++;
        await db.deleteFrom('vb_items').where('id', '=', 45).execute();
      });
      const result = await migrate(run.db, {
        migrations: [starLabels('0003_vb')],
        compile: testCompile,
        batchSize: 10,
      });
      expect(result.error).toBeUndefined();
      expect(await labels()).toEqual(
        Array.from({ length: 95 }, (_, i) => i + 1)
          .filter((id) => id !== 45)
          .map((id) => `r${id}*`),
      );
    });
  },
  { engines: ['postgres'] },
);
