// Part of bench/sql-backfill.bench.ts: migrate() with nothing to do against Kysely's
// Migrator.migrateToLatest() with nothing to do, on the same PostgreSQL database.
import type { Migration } from '../packages/core/src/index.ts';
import { migrate } from '../packages/sql/src/runtime/index.ts';
import { type KyselyMigration, Migrator, sql } from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import type { TestDatabase } from '../test/harness/src/index.ts';
import { resetJournal } from './backfill-runs.ts';
import type { SummaryCheck } from './summary.ts';

const NOOP_RUNS = Number(process.env.BENCH_NOOP_RUNS ?? 200);
const GOAL = { ratio: 0.5, queries: 2 };

/** Prints the medians and query counts of both; returns the checks against their goals. */
export async function noopVersusKysely(database: TestDatabase): Promise<SummaryCheck[]> {
  await resetJournal(database.db);
  let queries = 0;
  const counted = database.connect({ poolSize: 2 }).withPlugin({
    transformQuery: (args) => {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  const kyselyMigrations: Record<string, KyselyMigration> = {
    '0001_a': { up: async (k) => void (await sql`create table k_a (id integer primary key)`.execute(k)) },
    '0002_b': { up: async (k) => void (await sql`create table k_b (id integer primary key)`.execute(k)) },
  };
  const migrator = new Migrator({ db: counted, provider: { getMigrations: async () => kyselyMigrations } });
  const first = await migrator.migrateToLatest();
  if (first.error) throw first.error;
  const migrations: Migration[] = ['0001_x', '0002_y'].map((id) => ({
    id,
    from: `f-${id}`,
    to: `t-${id}`,
    changes: [],
  }));
  const ours = { migrations, compile: () => [] };
  const applied = await migrate(counted, ours);
  if (applied.error) throw applied.error;
  const time = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    queries = 0;
    for (let i = 0; i < NOOP_RUNS; i++) {
      const s = performance.now();
      await fn();
      samples.push(performance.now() - s);
    }
    samples.sort((x, y) => x - y);
    return { median: samples[Math.floor(samples.length / 2)] as number, queries: queries / NOOP_RUNS };
  };
  // Warm both paths, then measure each.
  await time(() => migrator.migrateToLatest());
  await time(() => migrate(counted, ours));
  const kysely = await time(() => migrator.migrateToLatest());
  const evolve = await time(() => migrate(counted, ours));
  const ratio = evolve.median / kysely.median;
  console.log(
    `  nothing to do, baseline Kysely migrateToLatest() ${kysely.median.toFixed(3)} ms median, ${kysely.queries} queries`,
  );
  console.log(
    `    evolve migrate()         ${evolve.median.toFixed(3)} ms median, ${evolve.queries} queries   ratio ${ratio.toFixed(2)}x  goal <= ${GOAL.ratio}x, <= ${GOAL.queries} round trips`,
  );
  return [
    {
      figure: `no-op migrate ${ratio.toFixed(2)}x of Kysely, ${evolve.queries} queries`,
      goal: `<= ${GOAL.ratio}x, <= ${GOAL.queries}`,
      met: ratio <= GOAL.ratio && evolve.queries <= GOAL.queries,
    },
  ];
}
