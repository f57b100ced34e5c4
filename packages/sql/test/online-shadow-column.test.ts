import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../src/runtime/index.ts';
import { leftovers, migrateWhileWriting, seededAtFirst, twoVersions } from './fixtures/online-migrations.ts';
import { writesBefore } from './fixtures/online-start-writer.ts';
import { settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'os_items';
const ROWS = 4000;
const int = () => z.number().int();

const v1 = { id: int(), qty: int(), note: z.string().max(40) };
const v2 = { id: int(), qty: z.string().max(20), note: z.string().max(40) };
const qty = (old: Record<string, unknown>) => `q${old.qty}`;
const label = (old: Record<string, unknown>) => `L-${old.note}`;
/** The type change alone. */
const typeChange = twoVersions(
  TABLE,
  { v1, v2 },
  { slug: 'qty_text', transforms: { Item: { qty } }, acknowledge: ['Item.qty'] },
);
/**
 * The type change and a new required field in one migration: one backfill fills both, the new field's NOT
 * NULL runs while the change log still goes on, and the swap of the converted column comes after it.
 */
const withRequired = twoVersions(
  TABLE,
  { v1, v2: { ...v2, label: z.string().max(60) } },
  { slug: 'qty_text_label', transforms: { Item: { qty, label } }, acknowledge: ['Item.qty'] },
);

const SEED = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, qty: i + 1, note: 'seed' }));

describeSqlEngines(
  'online: a type change through a shadow column while the old code writes',
  (ctx, engine) => {
    settlePoolsAfterAll(ctx);

    it.each([
      { how: 'type change', migrations: typeChange },
      { how: 'type change and a new required field', migrations: withRequired },
    ])(
      'carries every insert and update made during the backfill into the converted column, leaves no NULL and no trigger, and a rerun is a no-op ($how)',
      async ({ how, migrations }) => {
        const database = ctx();
        const { db, dialect } = database;
        await seededAtFirst(db, TABLE, migrations, SEED);

        const { result, log, watch } = await migrateWhileWriting(database, migrations, {
          table: TABLE,
          seeded: ROWS,
          firstNewId: 100_000,
          column: 'qty',
          fixed: { note: 'old code' },
          insertEvery: 4,
          pauseMs: 1,
          seed: 20_240_601,
        });
        expect(result.error).toBeUndefined();

        const rows = await db.selectFrom(TABLE).selectAll().execute();
        const qty = new Map(rows.map((r) => [Number(r.id), r.qty as string | null]));
        const labels = 'label' in (rows[0] ?? {});
        const carried = writesBefore(log, watch.contractAt());
        const wrong: { id: number; expected: string; actual: string | null | undefined }[] = [];
        for (const [id, value] of carried) {
          if (qty.get(id) !== `q${value}`) wrong.push({ id, expected: `q${value}`, actual: qty.get(id) });
        }
        for (let id = 1; id <= ROWS; id++) {
          if (!log.last[id] && qty.get(id) !== `q${id}`)
            wrong.push({ id, expected: `q${id}`, actual: qty.get(id) });
        }
        if (labels) {
          for (const row of rows) {
            if (row.label !== `L-${row.note}`)
              wrong.push({ id: Number(row.id), expected: `L-${row.note}`, actual: row.label });
          }
        }
        const during = Object.values(log.last).filter(
          (w) => w.at >= watch.backfillStartedAt() && w.at < watch.contractAt(),
        ).length;
        console.log(
          `[online] ${engine}: shadow column (${how}), ${watch.batches()} batches; the writer made ${log.writes} writes ` +
            `(${log.inserted.length} inserts), ${carried.size} rows last written before the contract ` +
            `(${during} during the batches), ${wrong.length} wrong, ${log.errors.length} writer errors`,
        );
        expect(wrong.slice(0, 10)).toEqual([]);
        expect(rows.filter((r) => r.qty === null || (labels && r.label === null))).toEqual([]);
        expect(log.errors.filter((e) => e.at < watch.contractAt())).toEqual([]);
        expect(during).toBeGreaterThan(20);
        expect(await leftovers(db, dialect)).toEqual([]);

        const again = await migrate(db, { migrations });
        expect(again.error).toBeUndefined();
        expect(again.applied).toEqual([]);
      },
      120_000,
    );
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
