// The cost estimates of a real migration (a backfill and an index on 100k rows) against a real run through
// migrate(): the row counts read from the engine's statistics within 2x of the true count, the estimated
// durations within 10x of the measured ones.
import { makeSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import {
  addColumn,
  backfill,
  compileSqlSteps,
  createIndex,
  estimateCost,
  migrate,
  type SqlDialect,
  sqlExpression,
  tableRowEstimates,
} from '../src/index.ts';
import {
  resetJournal,
  settlePoolsAfterAll,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';
import { field, model, t } from './plan-fixtures.ts';

const ROWS = 100_000;
const before = makeSnapshot({
  Item: model('Item', { id: field(t.int()), label: field(t.string(100)) }, { table: 'cost_items' }),
});
const compile = (dialect: SqlDialect) =>
  compileSqlSteps(
    [
      addColumn('cost_items', 'shout', { type: { kind: 'string', maxLength: 100 }, nullable: true }),
      backfill('Item', { shout: sqlExpression('upper(label)') }, { table: 'cost_items' }),
      createIndex('cost_items', 'cost_items_shout_idx', { columns: ['shout'] }),
    ],
    { dialect, before },
  );

async function seed(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await sql`drop table if exists cost_items`.execute(db);
  await sql`create table cost_items (id integer primary key, label varchar(100) not null)`.execute(db);
  if (dialect === 'postgres') {
    await sql`insert into cost_items select g, 'row ' || g from generate_series(1, ${sql.lit(ROWS)}) g`.execute(
      db,
    );
    await sql`analyze cost_items`.execute(db);
  } else if (dialect === 'sqlite') {
    await sql`insert into cost_items (id, label) with recursive s(n) as (select 1 union all select n + 1 from s where n < ${sql.lit(ROWS)}) select n, 'row ' || n from s`.execute(
      db,
    );
  } else {
    // MariaDB caps recursive CTEs at 1000 iterations: five digit tables cross-joined count to 100k
    const digit = sql.raw(
      `(select 0 d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9)`,
    );
    await sql`insert into cost_items (id, label) select n, concat('row ', n) from (select 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d as n from ${digit} a, ${digit} b, ${digit} c, ${digit} e, ${digit} f) s`.execute(
      db,
    );
    if (dialect === 'mysql') await sql`analyze table cost_items`.execute(db);
  }
}

describeSqlEngines('estimateCost against a real run on 100k rows', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeAll(async () => {
    const { db, dialect } = ctx();
    await resetJournal(db);
    await seed(db, dialect);
  }, 120_000);

  it('estimates the rows within 2x and the durations within 10x of the measured run', async () => {
    const { db, dialect } = ctx();
    const rows = await tableRowEstimates(db, dialect, ['cost_items', 'no_such_table']);
    expect(Object.keys(rows)).toEqual(['cost_items']);
    expect(rows.cost_items).toBeGreaterThan(ROWS / 2);
    expect(rows.cost_items).toBeLessThan(ROWS * 2);

    const steps = compile(dialect);
    const costs = estimateCost(steps, { dialect, rows });
    const backfillAt = costs.findIndex((c) => c.holds === 'per batch');
    const indexAt = costs.findIndex((c) => c.holds === 'index build');
    expect(costs[backfillAt]).toMatchObject({ lock: 'row', table: 'cost_items', rows: rows.cost_items });
    expect(costs[indexAt]).toMatchObject({ table: 'cost_items', rows: rows.cost_items });
    expect(costs[indexAt]?.lock).toBe(dialect === 'sqlite' ? 'writes' : 'none');
    expect(costs[0]).toMatchObject({ holds: 'instant' });
    expect(costs[0]?.seconds).toBeUndefined();

    // the real run, each step timed from its start event to the next one's
    const starts: number[] = [];
    const m = testMigration('0001_cost', { up: () => steps });
    const result = await migrate(db, {
      migrations: [m],
      compile: testCompile,
      onProgress: (e) => {
        if (e.type === 'step') starts[e.index] = performance.now();
      },
    });
    const end = performance.now();
    expect(result.error).toBeUndefined();
    const measured = (i: number) => ((starts[i + 1] ?? end) - (starts[i] as number)) / 1000;
    const estimated = (i: number) => costs[i]?.seconds as number;
    const total = { measured: (end - (starts[0] as number)) / 1000, estimated: 0 };
    for (const c of costs) total.estimated += c.seconds ?? 0;
    console.log(
      `${dialect}: backfill ${ROWS} rows measured ${measured(backfillAt).toFixed(2)} s (${Math.round(ROWS / measured(backfillAt))} rows/s) vs estimated ${estimated(backfillAt).toFixed(2)} s; ` +
        `index measured ${measured(indexAt).toFixed(2)} s (${Math.round(ROWS / measured(indexAt))} rows/s) vs estimated ${estimated(indexAt).toFixed(2)} s; ` +
        `total measured ${total.measured.toFixed(2)} s vs estimated ${total.estimated.toFixed(2)} s`,
    );
    const within10x = (est: number, real: number) => {
      expect(est).toBeGreaterThan(real / 10);
      expect(est).toBeLessThan(real * 10);
    };
    within10x(estimated(backfillAt), measured(backfillAt));
    within10x(total.estimated, total.measured);
    const done = await sql<{
      n: number;
    }>`select count(*) as n from cost_items where shout is not null`.execute(db);
    expect(Number(done.rows[0]?.n)).toBe(ROWS);
  }, 300_000);
});
