// Backfill and no-op migrate() benchmark on PostgreSQL, each figure beside a baseline measured in the same run.
// Run: npx tsx bench/sql-backfill.bench.ts   (EVOLVE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test;
// BENCH_ROWS=1000000, BENCH_BATCH=<rows per batch, default: migrate()'s default>, BENCH_NOOP_RUNS=200)
// It creates and drops its own database.
import { randomBytes } from 'node:crypto';
import type { Migration } from '../packages/core/src/index.ts';
import type { CompiledStep } from '../packages/sql/src/compiled-step.ts';
import { type MigrateOptions, migrate } from '../packages/sql/src/runtime/index.ts';
import {
  type Kysely,
  type KyselyMigration,
  type LogEvent,
  Migrator,
  sql,
} from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import { kyselyFor } from '../test/harness/src/index.ts';

const serverUrl = process.env.EVOLVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const NOOP_RUNS = Number(process.env.BENCH_NOOP_RUNS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
let lastMigrations: Migration[] = [];

async function verify(db: Kysely<any>, table: string): Promise<void> {
  const { rows } = await sql<{ bad: string }>`
    select count(*) as bad from ${sql.table(table)} where score is distinct from n * 2 + 1`.execute(db);
  if (Number(rows[0]?.bad) !== 0) throw new Error(`${table}: backfill missed rows`);
}

async function resetJournal(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists evolve_migration_steps`.execute(db);
  await sql`drop table if exists evolve_migrations`.execute(db);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s`;

function migration(id: string, step: CompiledStep, transforms?: Migration['transforms']): Migration {
  return {
    id,
    from: `f-${id}`,
    to: `t-${id}`,
    changes: [],
    ...(transforms ? { transforms } : {}),
    sql: { bench: step.description },
  };
}

async function freshTable(db: Kysely<any>, table: string): Promise<void> {
  await sql`drop table if exists ${sql.table(table)}`.execute(db);
  await sql`create table ${sql.table(table)} (id integer primary key, label text not null, n integer not null, score integer)`.execute(
    db,
  );
  await sql`insert into ${sql.table(table)} (id, label, n) select g, 'row ' || g, g % 1000 from generate_series(1, ${ROWS}) g`.execute(
    db,
  );
  await sql`vacuum analyze ${sql.table(table)}`.execute(db);
}

/** Samples RSS every 20 ms while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, before, peak };
  } finally {
    clearInterval(timer);
  }
}

async function batchedBackfill(
  db: Kysely<any>,
  migrations: Migration[],
  step: CompiledStep,
): Promise<{ ms: number; longestBatchMs: number; batches: number; rssBefore: number; rssPeak: number }> {
  let longestBatchMs = 0;
  let batches = 0;
  const options: MigrateOptions = {
    migrations,
    compile: (m) => (m === migrations.at(-1) ? [step] : []),
    onProgress: (e) => {
      if (e.type !== 'backfill') return;
      batches += 1;
      longestBatchMs = Math.max(longestBatchMs, e.batchMs);
    },
    ...(BATCH ? { batchSize: BATCH } : {}),
  };
  const started = performance.now();
  const { result, before, peak } = await withPeakRss(() => migrate(db, options));
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  return { ms, longestBatchMs, batches, rssBefore: before, rssPeak: peak };
}

async function main() {
  const name = `evolve_bench_${randomBytes(4).toString('hex')}`;
  const admin = await kyselyFor('postgres', serverUrl, { poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let queries = 0;
  const db = await kyselyFor('postgres', url.toString(), { poolSize: 2 });
  const counted = (await kyselyFor('postgres', url.toString(), { poolSize: 2 })).withPlugin({
    transformQuery: (args) => {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  void (null as unknown as LogEvent);
  try {
    console.log(
      `PostgreSQL backfill benchmark: ${ROWS.toLocaleString('en-US')} rows, batch size ${BATCH ?? 'adaptive (default: 1000 rows to start, ~40 ms per batch)'}`,
    );

    // The machine is shared: each measurement runs ROUNDS times, alternating with its baseline; best of each.
    let baselineMs = Number.POSITIVE_INFINITY;
    let expr: Awaited<ReturnType<typeof batchedBackfill>> | undefined;
    let ts: Awaited<ReturnType<typeof batchedBackfill>> | undefined;
    const best = (a: typeof expr, b: NonNullable<typeof expr>) => (a && a.ms <= b.ms ? a : b);
    for (let round = 1; round <= ROUNDS; round++) {
      // Baseline: one set-based UPDATE of the same expression.
      await freshTable(db, 'bench_base');
      const t = performance.now();
      await sql`update bench_base set score = n * 2 + 1`.execute(db);
      baselineMs = Math.min(baselineMs, performance.now() - t);

      // (a) SQL-expression backfill.
      await resetJournal(db);
      await freshTable(db, 'bench_expr');
      const exprStep: CompiledStep = {
        description: 'backfill bench_expr.score',
        transactional: false,
        statements: [],
        backfill: {
          model: 'Item',
          table: 'bench_expr',
          key: ['id'],
          read: {},
          set: { score: { expression: 'n * 2 + 1' } },
        },
      };
      const m1 = migration('0001_expr', exprStep);
      expr = best(expr, await batchedBackfill(db, [m1], exprStep));
      await verify(db, 'bench_expr');

      // (b) TS-transform backfill.
      await freshTable(db, 'bench_ts');
      const tsStep: CompiledStep = {
        description: 'backfill bench_ts.score',
        transactional: false,
        statements: [],
        backfill: {
          model: 'Item',
          table: 'bench_ts',
          key: ['id'],
          read: { n: 'n' },
          set: { score: { transform: { model: 'Item', field: 'score' } } },
        },
      };
      const m2 = migration('0002_ts', tsStep, {
        Item: { score: (old: Record<string, unknown>) => Number(old.n) * 2 + 1 },
      });
      ts = best(ts, await batchedBackfill(db, [m1, m2], tsStep));
      await verify(db, 'bench_ts');
      lastMigrations = [m1, m2];
      console.log(
        `  round ${round}: baseline ${baselineMs.toFixed(0)} ms, expression ${expr.ms.toFixed(0)} ms, TS ${ts.ms.toFixed(0)} ms (best so far)`,
      );
    }
    if (!expr || !ts) throw new Error('no rounds');
    const [m1, m2] = lastMigrations;

    console.log('\n(a) SQL-expression backfill throughput (target >= 0.8x one UPDATE)');
    console.log(
      `    baseline one UPDATE      ${rate(ROWS, baselineMs).padStart(18)}  (${baselineMs.toFixed(0)} ms)`,
    );
    console.log(
      `    batched migrate()        ${rate(ROWS, expr.ms).padStart(18)}  (${expr.ms.toFixed(0)} ms, ${expr.batches} batches)  ratio ${(baselineMs / expr.ms).toFixed(2)}x`,
    );
    console.log('(b) TS-transform backfill throughput (target >= 0.3x one UPDATE)');
    console.log(
      `    baseline one UPDATE      ${rate(ROWS, baselineMs).padStart(18)}  (${baselineMs.toFixed(0)} ms)`,
    );
    console.log(
      `    batched migrate()        ${rate(ROWS, ts.ms).padStart(18)}  (${ts.ms.toFixed(0)} ms, ${ts.batches} batches)  ratio ${(baselineMs / ts.ms).toFixed(2)}x`,
    );
    console.log('(c) longest lock hold = longest batch transaction (target < 100 ms)');
    console.log(`    baseline one UPDATE holds its row locks ${baselineMs.toFixed(0)} ms`);
    console.log(
      `    batched SQL expression   ${expr.longestBatchMs.toFixed(1)} ms   ratio ${(expr.longestBatchMs / baselineMs).toFixed(3)}x`,
    );
    console.log(
      `    batched TS transform     ${ts.longestBatchMs.toFixed(1)} ms   ratio ${(ts.longestBatchMs / baselineMs).toFixed(3)}x`,
    );
    console.log('(d) process RSS during the backfill (target: flat, growth < 150 MB)');
    console.log(
      `    SQL expression: before ${mb(expr.rssBefore)}, peak ${mb(expr.rssPeak)}, growth ${mb(expr.rssPeak - expr.rssBefore)}`,
    );
    console.log(
      `    TS transform:   before ${mb(ts.rssBefore)}, peak ${mb(ts.rssPeak)}, growth ${mb(ts.rssPeak - ts.rssBefore)}`,
    );

    // (e) migrate() with nothing to do vs Kysely's Migrator.migrateToLatest() with nothing to do.
    const kyselyMigrations: Record<string, KyselyMigration> = {
      '0001_a': { up: async (k) => void (await sql`create table k_a (id integer primary key)`.execute(k)) },
      '0002_b': { up: async (k) => void (await sql`create table k_b (id integer primary key)`.execute(k)) },
    };
    const migrator = new Migrator({ db: counted, provider: { getMigrations: async () => kyselyMigrations } });
    const first = await migrator.migrateToLatest();
    if (first.error) throw first.error;
    const ours = { migrations: [m1!, m2!], compile: () => [] };
    const noop = await migrate(counted, ours);
    if (noop.error || noop.applied.length) throw new Error('migrate() was expected to have nothing to do');
    const time = async (fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      queries = 0;
      for (let i = 0; i < NOOP_RUNS; i++) {
        const s = performance.now();
        await fn();
        samples.push(performance.now() - s);
      }
      samples.sort((x, y) => x - y);
      return { median: samples[Math.floor(samples.length / 2)]!, queries: queries / NOOP_RUNS };
    };
    // Warm both paths, then alternate measurements.
    await time(() => migrator.migrateToLatest());
    await time(() => migrate(counted, ours));
    const kysely = await time(() => migrator.migrateToLatest());
    const evolve = await time(() => migrate(counted, ours));
    console.log('(e) nothing to do (target <= 0.5x Kysely Migrator, <= 2 round trips)');
    console.log(
      `    Kysely migrateToLatest() ${kysely.median.toFixed(3)} ms median, ${kysely.queries} queries`,
    );
    console.log(
      `    evolve migrate()         ${evolve.median.toFixed(3)} ms median, ${evolve.queries} queries   ratio ${(evolve.median / kysely.median).toFixed(2)}x`,
    );
  } finally {
    await db.destroy();
    await counted.destroy();
    // pg-pool's end() resolves before its clients have closed: let them close before the forced drop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

await main();
