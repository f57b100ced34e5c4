import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { SqlDialect } from '../src/compiled-step.ts';
import { capabilitiesFor, migrate } from '../src/runtime/index.ts';
import {
  resetJournal,
  settlePoolsAfterAll,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

// Awkward values for each written column, chosen by the row's ordinal `i` (cycling).
const TEXTS = [
  null,
  `it's "quoted" \\ back`,
  'ünïcödé 🎉 日本語',
  'x'.repeat(100_000),
  '',
  'new\nline\ttab',
  'NULL',
  ' {a,b}, c ',
];
const BIGS = [null, 0, -1, 9_007_199_254_740_991];
const REALS = [null, 0.1, -1e300, 2.5];
const FLAGS = [null, true, false];
const DOCS = [null, { a: 1, s: `quote ' " ü`, nested: { n: null } }, [1, 'two', { x: [] }]];
const DAYS = [null, new Date('2024-02-29T00:00:00Z'), new Date('1999-12-31T00:00:00Z')];
const KEYS_B = ['a', "it's", 'ü', 'Zeta', '日本', 'b b', 'q"q', 'NULL', '{x,y}', 'back\\slash'];

const COLUMNS: Record<SqlDialect, string> = {
  // named as the functions a batch's source is built from: the write must not confuse them with its own
  postgres: `t text, big bigint, r double precision, flag boolean, doc json, docb jsonb, day date, regexp_split_to_table integer, unnest integer`,
  mysql: `t longtext, big bigint, r double, flag boolean, doc json, docb json, day date`,
  sqlite: `t text, big integer, r real, flag boolean, doc text, docb text, day text`,
};

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const valuesFor = (i: number) => ({
  t: pick(TEXTS, i),
  big: pick(BIGS, i + 1),
  r: pick(REALS, i + 2),
  flag: pick(FLAGS, i),
  doc: pick(DOCS, i),
  docb: pick(DOCS, i + 1),
  day: pick(DAYS, i),
});
type Written = keyof ReturnType<typeof valuesFor>;
const WRITTEN = Object.keys(valuesFor(0)) as Written[];

describeSqlEngines('migrate: a TS backfill writes each batch with one bulk statement', (ctx) => {
  settlePoolsAfterAll(ctx);
  const tables = ['bw_items', 'bw_reference'];
  beforeEach(async () => {
    const { db, dialect } = ctx();
    await resetJournal(db);
    for (const table of tables) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
      await sql`create table ${sql.table(table)} (a integer not null, b varchar(20) not null, i integer not null, ${sql.raw(COLUMNS[dialect])}, primary key (a, b))`.execute(
        db,
      );
      let i = 0;
      const rows = [];
      for (let a = 1; a <= 4; a++) for (const b of KEYS_B) rows.push({ a, b, i: i++ });
      await db.insertInto(table).values(rows).execute();
    }
  });

  /** Every row of `table` in key order, as the driver returns it. */
  const rowsOf = (db: Kysely<any>, table: string) =>
    db.selectFrom(table).selectAll().orderBy('a').orderBy('b').execute();

  /** Backfills `columns` of bw_items by migrate() and of bw_reference by one UPDATE per row; the SQL run. */
  async function writeBoth(columns: readonly Written[], id: string): Promise<string[]> {
    const { db } = ctx();
    const caps = capabilitiesFor(db);
    // the reference: one plain UPDATE per row, values bound as the runner binds them
    for (const row of await rowsOf(db, 'bw_reference')) {
      const values = valuesFor(Number(row.i));
      await db
        .updateTable('bw_reference')
        .set(Object.fromEntries(columns.map((c) => [c, caps.toParam(values[c])])))
        .where('a', '=', row.a)
        .where('b', '=', row.b)
        .execute();
    }
    const transforms = Object.fromEntries(columns.map((c) => [c, (old: any) => valuesFor(Number(old.i))[c]]));
    const m = testMigration(
      id,
      {
        up: () => [
          {
            description: 'backfill bw_items',
            transactional: false,
            statements: [],
            backfill: {
              model: 'Item',
              table: 'bw_items',
              key: ['a', 'b'],
              read: { i: 'i' },
              set: Object.fromEntries(columns.map((c) => [c, { transform: { model: 'Item', field: c } }])),
            },
          },
        ],
      },
      { transforms: { Item: transforms } },
    );
    const queries: string[] = [];
    const watched = db.withPlugin({
      transformQuery: (args) => {
        queries.push(db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    // batches of 5 over 10 keys per `a`: batch ranges start and end inside a run of equal `a`
    const result = await migrate(watched, {
      migrations: [m],
      compile: testCompile,
      batchSize: 5,
      pauseMs: 0,
    });
    expect(result.error).toBeUndefined();
    return queries;
  }

  it('gives the same rows as one UPDATE per row (NULLs, quotes, unicode, large text, JSON, dates, composite keys)', async () => {
    const { db } = ctx();
    await writeBoth(WRITTEN, '0001_bulk');
    const written = await rowsOf(db, 'bw_items');
    expect(written).toEqual(await rowsOf(db, 'bw_reference'));
    // and the values went in at all (not NULL everywhere on both sides)
    expect(written.filter((r) => r.t === 'x'.repeat(100_000))).toHaveLength(
      written.filter((r) => Number(r.i) % TEXTS.length === 3).length,
    );
  });

  it('gives the same rows for scalar columns only, which PostgreSQL writes as typed arrays', async () => {
    const { db, dialect } = ctx();
    const queries = await writeBoth(['t', 'big', 'r', 'flag'], '0002_scalars');
    expect(await rowsOf(db, 'bw_items')).toEqual(await rowsOf(db, 'bw_reference'));
    const writes = queries.filter((q) => /^\s*update [`"]bw_items/i.test(q));
    expect(writes.length).toBeGreaterThanOrEqual(6);
    if (dialect === 'postgres') expect(writes.every((q) => q.includes('unnest('))).toBe(true);
  });

  it("leaves the other rows of the batch's key range untouched", async () => {
    const { db } = ctx();
    const caps = capabilitiesFor(db);
    const keys = [
      [2, "it's"],
      [2, 'q"q'],
    ];
    await caps
      .writeBatch({
        table: 'bw_items',
        key: ['a', 'b'],
        columns: ['t', 'big'],
        rows: keys.map(([a, b], n) => [a, b, caps.toParam(`row ${n}`), n]),
        range: { first: keys[0] as unknown[], last: keys[1] as unknown[] },
      })
      .execute(db);
    const changed = (await rowsOf(db, 'bw_items')).filter((r) => r.t !== null);
    expect(changed.map((r) => [r.a, r.b, r.t, Number(r.big)])).toEqual([
      [2, "it's", 'row 0', 0],
      [2, 'q"q', 'row 1', 1],
    ]);
  });
});
