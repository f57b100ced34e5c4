// Issue 9: a backfill that fills a new column and rewrites an existing one in place (a removed enum value)
// in one migration. The old code's write to a new column's source, made after a row was rewritten, must
// recompute the new column only: an in-place transform runs once per value the old code wrote, never again
// on its own result (here `banned -> new, new -> active` would turn a banned row active).
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../src/runtime/index.ts';
import { leftovers, migrateUntil, seededAtFirst, twoVersions } from './fixtures/online-migrations.ts';
import { settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'ip_items';
const ROWS = 600;
const int = () => z.number().int();

/** A shift of the enum: not idempotent, as a user's transform may well be. */
const status = (old: Record<string, unknown>) =>
  old.status === 'banned' ? 'new' : old.status === 'new' ? 'active' : old.status;
const label = (old: Record<string, unknown>) => `L-${old.note}`;
const migrations = twoVersions(
  TABLE,
  {
    v1: { id: int(), status: z.enum(['new', 'active', 'banned']), note: z.string().max(40) },
    v2: {
      id: int(),
      status: z.enum(['new', 'active', 'vip']),
      note: z.string().max(40),
      label: z.string().max(60),
    },
  },
  { slug: 'status_shift_label', transforms: { Item: { status, label } }, acknowledge: ['Item.status'] },
);

/** The table at v1 (0001 applied) with ROWS rows, all `banned`. */
const SEED = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, status: 'banned', note: `n${i + 1}` }));

describeSqlEngines(
  'online: a new column and an in-place rewrite in one migration',
  (ctx) => {
    settlePoolsAfterAll(ctx);

    it('transforms each in-place value once when the old code changes a new column’s source meanwhile', async () => {
      const { db, dialect } = ctx();
      await seededAtFirst(db, TABLE, migrations, SEED);

      // Stop after the first batches of whichever pass runs first, as a crash would; the old code then
      // edits notes of rows the batches covered, and a rerun finishes (draining what was logged meanwhile).
      let batches = 0;
      await migrateUntil(db, migrations, (event) => event.type === 'backfill' && ++batches === 2, {
        batchSize: 100,
        pauseMs: 0,
      });
      await db.updateTable(TABLE).set({ note: 'edited' }).where('id', '<=', 150).execute();
      await db
        .insertInto(TABLE)
        .values({ id: ROWS + 1, status: 'banned', note: 'late' })
        .execute();

      // a third run has nothing left to do
      for (const run of [1, 2]) {
        const result = await migrate(db, { migrations, batchSize: 100, pauseMs: 0 });
        expect(result.error, `run ${run}`).toBeUndefined();
      }
      const rows = await db
        .selectFrom(TABLE)
        .select(['id', 'status', 'note', 'label'])
        .orderBy('id')
        .execute();
      expect(rows).toHaveLength(ROWS + 1);
      const wrong = rows.filter(
        (r) =>
          r.status !== 'new' ||
          r.label !== (r.id <= 150 ? 'L-edited' : r.id > ROWS ? 'L-late' : `L-n${r.id}`),
      );
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(await leftovers(db, dialect)).toEqual([]);
    });

    it('stops with CATCH_UP_BEHIND when the change log stays full past catchUpTimeoutMs, and a rerun finishes', async () => {
      const { db, dialect } = ctx();
      await seededAtFirst(db, TABLE, migrations, SEED);
      await migrateUntil(db, migrations, (event) => event.type === 'backfill', {
        batchSize: 100,
        pauseMs: 0,
      });
      // a backlog of logged writes, larger than one catch-up batch
      await db.updateTable(TABLE).set({ note: 'busy' }).where('id', '<=', 300).execute();

      const behind = await migrate(db, { migrations, batchSize: 10, pauseMs: 0, catchUpTimeoutMs: 0 });
      expect(behind.error?.code).toBe('CATCH_UP_BEHIND');
      expect(behind.error?.message).toContain(TABLE);
      expect(behind.applied.map((a) => a.status)).toEqual(['Error']);

      const done = await migrate(db, { migrations, batchSize: 100, pauseMs: 0 });
      expect(done.error).toBeUndefined();
      const rows = await db.selectFrom(TABLE).select(['id', 'status', 'label']).orderBy('id').execute();
      const wrong = rows.filter(
        (r) => r.status !== 'new' || r.label !== (r.id <= 300 ? 'L-busy' : `L-n${r.id}`),
      );
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(await leftovers(db, dialect)).toEqual([]);
    });
  },
  // PGlite is one in-process connection; the engines above run the same code paths with real servers
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
