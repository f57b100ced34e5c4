import type { FieldSnapshot, Migration, Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { migrate } from '../src/runtime/index.ts';
import { historyAddingValue } from './fixtures/history-adding-value.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';
import { field, t } from './plan-fixtures.ts';

const ROWS = 12;
const BAD_ROW = 7;

/** A history that creates tc_items, then adds `value` (of its type) filled by `transform`. */
const history = (value: FieldSnapshot, transform: (old: Row) => unknown) =>
  historyAddingValue({ name: 'tc_items', labelLength: 100 }, value, transform);

interface Case {
  name: string;
  value: FieldSnapshot;
  good: (id: number) => unknown;
  bad: unknown;
  problem: RegExp;
  /** Dialects whose column holds the bad value after all (it is refused only where it does not fit). */
  fitsOn?: string[];
}

const CASES: Case[] = [
  {
    name: 'NaN for a number',
    value: field(t.float()),
    good: (id) => id / 2,
    bad: Number.NaN,
    problem: /finite number, got NaN/,
  },
  {
    name: 'Infinity for a number',
    value: field(t.float()),
    good: (id) => id,
    bad: Number.POSITIVE_INFINITY,
    problem: /finite number, got Infinity/,
  },
  {
    name: 'a fraction for an integer',
    value: field(t.int()),
    good: (id) => id,
    bad: 2.5,
    problem: /expected an integer, got 2\.5/,
  },
  {
    name: 'an integer beyond the integer column',
    value: field(t.int()),
    good: (id) => id,
    bad: 3_000_000_000,
    problem: /outside the integer column's range/,
  },
  {
    name: 'a string for an integer',
    value: field(t.int()),
    good: (id) => id,
    bad: '7',
    problem: /expected a number, got a string/,
  },
  {
    name: 'a string over its maximum length',
    value: field(t.string(10)),
    good: () => '😀'.repeat(10),
    bad: 'x'.repeat(11),
    problem: /11 characters long, longer than 10/,
  },
  {
    name: 'a string over varchar(255), where a string without a maximum is stored so',
    value: field(t.string()),
    good: () => 'ok',
    bad: 'x'.repeat(300),
    problem: /longer than 255/,
    fitsOn: ['postgres', 'sqlite'],
  },
  {
    name: 'an object for a string',
    value: field(t.string(50)),
    good: () => 'ok',
    bad: { amount: 1 },
    problem: /expected a string, got an object/,
  },
  {
    name: 'nothing for a required field',
    value: field(t.string(50)),
    good: () => 'ok',
    bad: undefined,
    problem: /required, got nothing/,
  },
  {
    name: 'a NUL character in a string',
    value: field(t.string(50)),
    good: () => 'ok',
    bad: 'a\u0000b',
    problem: /NUL character/,
  },
  {
    name: 'a string for a boolean',
    value: field(t.bool()),
    good: (id) => id % 2 === 0,
    bad: 'yes',
    problem: /expected a boolean, got a string/,
  },
  {
    name: 'an invalid date',
    value: field(t.date()),
    good: () => new Date('2024-01-02T03:04:05Z'),
    bad: new Date('nope'),
    problem: /invalid date/,
  },
  {
    name: 'a malformed UUID',
    value: field(t.uuid()),
    good: (id) => `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    bad: 'not-a-uuid',
    problem: /expected a UUID/,
  },
  {
    name: 'a bigint beyond 64 bits',
    value: field(t.bigint()),
    good: (id) => BigInt(id),
    bad: 2n ** 70n,
    problem: /outside the bigint column's range/,
  },
  {
    name: 'NaN inside a JSON object (JSON would store null)',
    value: field(t.object({ n: field(t.float()) })),
    good: (id) => ({ n: id }),
    bad: { n: Number.NaN },
    problem: /finite number, got NaN at n/,
  },
  {
    name: 'a wrong element type inside an array',
    value: field(t.array(field(t.int()))),
    good: (id) => [id],
    bad: [1, 'two'],
    problem: /expected a number, got a string at \[1\]/,
  },
];

describeSqlEngines('migrate: transform results are checked before anything is written', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    await sql`drop table if exists tc_items`.execute(db);
  });

  async function atV1(db: Kysely<any>, migrations: Migration[]) {
    expect((await migrate(db, { migrations: migrations.slice(0, 1) })).error).toBeUndefined();
    await db
      .insertInto('tc_items')
      .values(Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, label: `r${i + 1}` })))
      .execute();
  }
  const dump = async (db: Kysely<any>) => ({
    columns: (await db.introspection.getTables())
      .find((t) => t.name === 'tc_items')
      ?.columns.map((c) => c.name),
    rows: await db.selectFrom('tc_items').selectAll().orderBy('id').execute(),
  });

  for (const c of CASES) {
    it(`refuses ${c.name} with TRANSFORM_FAILED naming the row's key, the table left as it was`, async () => {
      const { db, dialect } = ctx();
      const migrations = history(c.value, (old) =>
        Number(old.id) === BAD_ROW ? c.bad : c.good(Number(old.id)),
      );
      await atV1(db, migrations);
      const before = await dump(db);
      const result = await migrate(db, { migrations, batchSize: 5 });
      if (c.fitsOn?.includes(dialect)) {
        expect(result.error).toBeUndefined();
        return;
      }
      expect(result.error?.code).toBe('TRANSFORM_FAILED');
      expect(result.error?.path).toBe('Item.value');
      expect(result.error?.message).toContain(`row ${BAD_ROW}`);
      expect(result.error?.message).toMatch(c.problem);
      expect(await dump(db)).toEqual(before);
    });
  }

  it('accepts a string at its maximum length counted in characters, as the engines count (10 emoji in varchar(10))', async () => {
    const { db } = ctx();
    const migrations = history(field(t.string(10)), () => '😀'.repeat(10));
    await atV1(db, migrations);
    expect((await migrate(db, { migrations })).error).toBeUndefined();
    const rows = await db.selectFrom('tc_items').select('value').execute();
    expect(rows.every((r) => r.value === '😀'.repeat(10))).toBe(true);
  });

  it('writes nothing of the batch holding a bad value when the dry run is off; the batches before it stay', async () => {
    const { db } = ctx();
    const migrations = history(field(t.float()), (old) =>
      Number(old.id) === BAD_ROW ? Number.NaN : Number(old.id) / 2,
    );
    await atV1(db, migrations);
    const result = await migrate(db, { migrations, batchSize: 5, validateTransforms: false });
    expect(result.error?.code).toBe('TRANSFORM_FAILED');
    expect(result.error?.message).toContain(`row ${BAD_ROW}`);
    const rows = await db.selectFrom('tc_items').select(['id', 'value']).orderBy('id').execute();
    expect(rows.slice(0, 5).map((r) => Number(r.value))).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(rows.slice(5).map((r) => r.value)).toEqual(Array(ROWS - 5).fill(null));
  });
});
