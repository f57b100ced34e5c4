// Startup through PgBouncer: migrate() with nothing to do, through a transaction-pooling PgBouncer beside the
// same call straight to PostgreSQL, measured alternately in the same run. Goal: startup through the pooler
// <= 1.5x direct.
// Run: npx tsx bench/pooler-startup.bench.ts   (EVOLVE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test;
// BENCH_STARTUP_RUNS=100, BENCH_WARM_RUNS=500). It creates and drops its own database and starts its own
// PgBouncer (the `pgbouncer` binary; run as root it runs as the `postgres` OS user).
import { randomBytes } from 'node:crypto';
import { migrate } from '../packages/sql/src/runtime/index.ts';
import { type Kysely, sql } from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import { kyselyFor, startPgbouncer } from '../test/harness/src/index.ts';
import { ACCOUNT_MIGRATIONS } from '../test/reliability/support/account-history.ts';
import { summary } from './summary.ts';

const serverUrl = process.env.EVOLVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 100);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 500);
const options = { migrations: ACCOUNT_MIGRATIONS };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** One application start: a new pool (nothing connected yet), migrate() with nothing to do, pool closed. */
async function startup(url: string): Promise<number> {
  const db = await kyselyFor('postgres', url, { poolSize: 4 });
  try {
    const started = performance.now();
    const result = await migrate(db, options);
    const took = performance.now() - started;
    if (result.error) throw result.error;
    if (result.applied.length > 0) throw new Error('the benchmark expects nothing to apply');
    return took;
  } finally {
    await db.destroy();
  }
}

/** migrate() with nothing to do on a pool that is connected already. */
async function warm(db: Kysely<any>): Promise<number> {
  const started = performance.now();
  const result = await migrate(db, options);
  const took = performance.now() - started;
  if (result.error) throw result.error;
  return took;
}

/** Runs both variants `runs` times, alternating, so that a burst of load on a shared machine hits both. */
async function alternating(runs: number, direct: () => Promise<number>, pooled: () => Promise<number>) {
  const samples = { direct: [] as number[], pooled: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.direct.push(await direct());
    samples.pooled.push(await pooled());
  }
  return samples;
}

function report(title: string, samples: { direct: number[]; pooled: number[] }): number {
  const ratio = median(samples.pooled) / median(samples.direct);
  console.log(title);
  console.log(
    `    baseline straight to PostgreSQL   median ${ms(median(samples.direct)).padStart(9)}   p90 ${ms(p90(samples.direct))}`,
  );
  console.log(
    `    through PgBouncer (transaction)   median ${ms(median(samples.pooled)).padStart(9)}   p90 ${ms(p90(samples.pooled))}   ratio ${ratio.toFixed(2)}x`,
  );
  return ratio;
}

async function main() {
  const name = `evolve_bench_${randomBytes(4).toString('hex')}`;
  const admin = await kyselyFor('postgres', serverUrl, { poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const directUrl = new URL(serverUrl);
  directUrl.pathname = `/${name}`;
  const server = new URL(serverUrl);
  server.pathname = '/postgres';
  const bouncer = await startPgbouncer({
    serverUrl: server.toString(),
    poolMode: 'transaction',
    poolSize: 4,
  });
  const pooledUrl = bouncer.url(name);
  try {
    const setup = await kyselyFor('postgres', directUrl.toString(), { poolSize: 1 });
    const applied = await migrate(setup, options);
    await setup.destroy();
    if (applied.error) throw applied.error;
    console.log(
      `migrate() with nothing to do (${ACCOUNT_MIGRATIONS.length} migrations applied), PgBouncer ${bouncer.poolMode} pooling, default_pool_size ${bouncer.poolSize}`,
    );
    // Warm-up: file-system caches, JIT, PgBouncer's first server connection.
    await alternating(
      5,
      () => startup(directUrl.toString()),
      () => startup(pooledUrl),
    );

    const cold = await alternating(
      STARTUP_RUNS,
      () => startup(directUrl.toString()),
      () => startup(pooledUrl),
    );
    const startupRatio = report(
      `(a) startup: a new pool, then migrate() with nothing to do, ${STARTUP_RUNS} runs each (goal <= 1.5x)`,
      cold,
    );

    const directDb = await kyselyFor('postgres', directUrl.toString(), { poolSize: 4 });
    const pooledDb = await kyselyFor('postgres', pooledUrl, { poolSize: 4 });
    try {
      await alternating(
        20,
        () => warm(directDb),
        () => warm(pooledDb),
      );
      report(
        `(b) warm: migrate() with nothing to do on a connected pool, ${WARM_RUNS} runs each (one extra hop per query)`,
        await alternating(
          WARM_RUNS,
          () => warm(directDb),
          () => warm(pooledDb),
        ),
      );
    } finally {
      await Promise.all([directDb.destroy(), pooledDb.destroy()]);
    }
    console.log(
      `\nstartup ratio ${startupRatio.toFixed(2)}x: ${startupRatio <= 1.5 ? 'within' : 'OVER'} the 1.5x goal`,
    );
    summary({
      bench: 'pooler-startup',
      figure: `startup through PgBouncer ${startupRatio.toFixed(2)}x of direct`,
      goal: '<= 1.5x',
      met: startupRatio <= 1.5,
    });
  } finally {
    await bouncer.stop();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

await main();
