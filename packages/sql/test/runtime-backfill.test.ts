import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { BackfillPlan, CompiledStep } from '../src/compiled-step.ts';
import { type MigrateProgressEvent, migrate } from '../src/runtime/index.ts';
import {
  resetJournal,
  seedRows,
  settlePoolsAfterAll,
  starLabelsStep,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

const backfill = (plan: BackfillPlan): CompiledStep => ({
  description: `backfill ${plan.table}`,
  transactional: false,
  statements: [],
  backfill: plan,
});

/** A backfill of the seeded `bf_items` table, paged by `id`. */
const itemBackfill = (plan: Omit<BackfillPlan, 'model' | 'table' | 'key'>): CompiledStep =>
  backfill({ model: 'Item', table: 'bf_items', key: ['id'], ...plan });

/** A migration whose one step appends `*` to every label, set-based in SQL. */
const starLabels = (id: string) =>
  testMigration(id, { up: () => [starLabelsStep('bf_items', 'Item', 'backfill bf_items')] });

const starred = (label: unknown) => `${String(label)}*`;

describeSqlEngines('migrate: batched backfills', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    for (const t of ['bf_items', 'bf_pairs']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
    await sql`create table bf_items (id integer primary key, label varchar(100), n integer, flag boolean, note varchar(20))`.execute(
      db,
    );
    await seedRows(db, 'bf_items', 95);
  });

  const labels = async () => {
    const rows = await ctx().db.selectFrom('bf_items').select(['id', 'label']).orderBy('id').execute();
    return rows.map((r) => r.label);
  };
  const expected = (count: number) => Array.from({ length: count }, (_, i) => `r${i + 1}*`);

  it('runs a TS transform in batches smaller than the table, writing every row once', async () => {
    const { db } = ctx();
    const events: MigrateProgressEvent[] = [];
    const m = testMigration(
      '0001_ts',
      {
        up: () => [
          itemBackfill({
            read: { label: 'label', id: 'id' },
            set: {
              label: { transform: { model: 'Item', field: 'label' } },
              n: { transform: { model: 'Item', field: 'n' } },
              flag: { transform: { model: 'Item', field: 'flag' } },
              note: { value: 'const' },
            },
          }),
        ],
      },
      {
        transforms: {
          Item: {
            label: (old) => starred(old.label),
            n: (old) => Number(old.id) * 2,
            flag: (old) => Number(old.id) % 2 === 0,
          },
        },
      },
    );
    const result = await migrate(db, {
      migrations: [m],
      compile: testCompile,
      batchSize: 10,
      onProgress: (e) => events.push(e),
    });
    expect(result.error).toBeUndefined();
    expect(await labels()).toEqual(expected(95));
    const rows = await db.selectFrom('bf_items').select(['id', 'n', 'flag', 'note']).orderBy('id').execute();
    expect(
      rows.every(
        (r) =>
          Number(r.n) === Number(r.id) * 2 &&
          Boolean(r.flag) === (Number(r.id) % 2 === 0) &&
          r.note === 'const',
      ),
    ).toBe(true);
    const batches = events.filter((e) => e.type === 'backfill');
    expect(batches).toHaveLength(10);
    expect(batches.at(-1)).toMatchObject({ rowsDone: 95, done: true, table: 'bf_items' });
  });

  it('runs a SQL expression set-based per batch', async () => {
    const { db } = ctx();
    const m = starLabels('0001_expr');
    const batches: number[] = [];
    const result = await migrate(db, {
      migrations: [m],
      compile: testCompile,
      batchSize: 20,
      onProgress: (e) => e.type === 'backfill' && batches.push(e.rowsDone),
    });
    expect(result.error).toBeUndefined();
    expect(await labels()).toEqual(expected(95));
    expect(batches.length).toBeGreaterThanOrEqual(5);
  });

  it('pages composite primary keys in tuple order', async () => {
    const { db } = ctx();
    await sql`create table bf_pairs (a integer not null, b integer not null, label varchar(20), primary key (a, b))`.execute(
      db,
    );
    const rows = [];
    for (let a = 1; a <= 7; a++) for (let b = 1; b <= 9; b++) rows.push({ a, b, label: `${a}-${b}` });
    await db.insertInto('bf_pairs').values(rows).execute();
    const seen: string[] = [];
    const m = testMigration(
      '0001_pairs',
      {
        up: () => [
          backfill({
            model: 'Pair',
            table: 'bf_pairs',
            key: ['a', 'b'],
            read: { label: 'label' },
            set: { label: { transform: { model: 'Pair', field: 'label' } } },
          }),
          backfill({
            model: 'Pair',
            table: 'bf_pairs',
            key: ['a', 'b'],
            read: {},
            set: { label: { expression: "concat(label, '#')" } },
          }),
        ],
      },
      {
        transforms: {
          Pair: {
            label: (old) => {
              seen.push(String(old.label));
              return starred(old.label);
            },
          },
        },
      },
    );
    const result = await migrate(db, { migrations: [m], compile: testCompile, batchSize: 4 });
    expect(result.error).toBeUndefined();
    expect(seen).toEqual(rows.map((r) => r.label));
    const after = await db.selectFrom('bf_pairs').select('label').orderBy('a').orderBy('b').execute();
    expect(after.map((r) => r.label)).toEqual(rows.map((r) => `${r.label}*#`));
  });

  it('fills onlyNull columns only where they are still NULL', async () => {
    const { db } = ctx();
    await db.updateTable('bf_items').set({ note: 'kept', n: 7 }).where('id', '<=', 10).execute();
    const m = testMigration(
      '0001_only_null',
      {
        up: () => [
          itemBackfill({
            read: { id: 'id' },
            set: { n: { transform: { model: 'Item', field: 'n' } } },
            onlyNull: ['n'],
          }),
          itemBackfill({
            read: {},
            set: { note: { value: 'new' } },
            onlyNull: ['note'],
          }),
        ],
      },
      { transforms: { Item: { n: (old) => Number(old.id) * 10 } } },
    );
    const result = await migrate(db, { migrations: [m], compile: testCompile, batchSize: 20 });
    expect(result.error).toBeUndefined();
    const rows = await db.selectFrom('bf_items').select(['id', 'n', 'note']).orderBy('id').execute();
    expect(rows.slice(0, 10).every((r) => r.note === 'kept' && Number(r.n) === 7)).toBe(true);
    expect(rows.slice(10, 12)).toEqual([
      { id: 11, n: 110, note: 'new' },
      { id: 12, n: 120, note: 'new' },
    ]);
    expect(rows.slice(10).every((r) => r.note === 'new' && Number(r.n) === Number(r.id) * 10)).toBe(true);
  });

  it('resumes from the checkpoint after a transform fails once, transforming each row exactly once', async () => {
    const { db } = ctx();
    let failed = false;
    const m = testMigration(
      '0001_flaky',
      {
        up: () => [
          itemBackfill({
            read: { id: 'id', label: 'label' },
            set: { label: { transform: { model: 'Item', field: 'label' } } },
          }),
        ],
      },
      {
        transforms: {
          Item: {
            label: (old) => {
              if (Number(old.id) === 37 && !failed) {
                failed = true;
                throw new Error('flaky');
              }
              return starred(old.label);
            },
          },
        },
      },
    );
    const first = await migrate(db, { migrations: [m], compile: testCompile, batchSize: 10 });
    expect(first.error?.code).toBe('TRANSFORM_FAILED');
    expect(first.error?.path).toBe('Item.label');
    expect(first.error?.message).toContain('row 37');
    const partial = await labels();
    expect(partial.slice(0, 30)).toEqual(expected(30));
    expect(partial.slice(30)).toEqual(Array.from({ length: 65 }, (_, i) => `r${i + 31}`));
    const second = await migrate(db, { migrations: [m], compile: testCompile, batchSize: 10 });
    expect(second.error).toBeUndefined();
    expect(await labels()).toEqual(expected(95));
  });

  it('stops between batches on abort and resumes on rerun', async () => {
    const { db } = ctx();
    const m = starLabels('0001_abort');
    const controller = new AbortController();
    const first = await migrate(db, {
      migrations: [m],
      compile: testCompile,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (e) => e.type === 'backfill' && e.rowsDone >= 30 && controller.abort(),
    });
    expect(first.error?.code).toBe('MIGRATION_FAILED');
    expect((await labels()).filter((l) => l.endsWith('*'))).toHaveLength(30);
    const second = await migrate(db, { migrations: [m], compile: testCompile, batchSize: 10 });
    expect(second.error).toBeUndefined();
    expect(await labels()).toEqual(expected(95));
  });
});
