/**
 * The application's statement latency during a large backfill, beside the same application with no
 * migration running (issue 9). The old application (test/online's live writer, a child process on its own
 * connections) inserts, updates and deletes rows of a seeded table at a steady rate; meanwhile `migrate()`
 * adds a column filled by a TS transform over every row, with its default batching. Baseline windows run
 * before and after the migration, with the same writer. Targets: p99 during <= 2x p99 without; no
 * statement slower than 100 ms.
 *
 * Run: npx tsx bench/writer-latency.bench.ts
 *   BENCH_ROWS=1000000        rows seeded (default 1M; e.g. 200000 for a quick run)
 *   BENCH_ENGINES=postgres    any of postgres,mysql,sqlite (servers from EVOLVE_TEST_POSTGRES_URL / EVOLVE_TEST_MYSQL_URL)
 *   BENCH_RATE=200 BENCH_WORKERS=4   writer statements per second, and its connections
 *   BENCH_BASELINE_MS=10000   length of each baseline window (one before, one after the migration)
 *   BENCH_BATCH=<rows>, BENCH_PAUSE=<ms>   migrate()'s batchSize and pauseMs (default: its defaults)
 *   BENCH_SQLITE_JOURNAL=wal  the SQLite file's journal mode (wal, as applications with concurrent writers
 *                             run it; `delete`, SQLite's default, makes readers and the writer exclude each other)
 * It creates and drops its own databases.
 */

import { loadavg } from 'node:os';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import {
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Snapshot,
  toSnapshot,
} from '../packages/core/src/index.ts';
import { migrate } from '../packages/sql/src/runtime/index.ts';
import { createTestDatabase, type SqlEngineName, type TestDatabase } from '../test/harness/src/index.ts';
import { liveTablesOf } from '../test/online/support/live-writer-plan.ts';
import { type LiveOp, wallClock } from '../test/online/support/run-live-writer.ts';
import { startLiveWriter } from '../test/online/support/start-live-writer.ts';
import { sampleLockWaits } from './lock-wait-sampler.ts';
import { type SummaryCheck, summary } from './summary.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',').map((e) => e.trim()) as SqlEngineName[];
const RATE = Number(process.env.BENCH_RATE ?? 200);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const BASELINE_MS = Number(process.env.BENCH_BASELINE_MS ?? 10_000);
const BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const PAUSE = process.env.BENCH_PAUSE ? Number(process.env.BENCH_PAUSE) : undefined;
const SQLITE_JOURNAL = process.env.BENCH_SQLITE_JOURNAL ?? 'wal';
const URLS = {
  postgres: process.env.EVOLVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.EVOLVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};
const TABLE = 'bench_live';

// ---- the model history: v1 the table, v2 a column every row gets from a TS transform ----------------

const int = () => z.number().int();
const v1Shape = { id: int(), label: z.string().max(40), n: int() };
const v1 = toSnapshot(defineSchema([defineModel('Row', { table: TABLE, shape: v1Shape })]));
const v2 = toSnapshot(
  defineSchema([defineModel('Row', { table: TABLE, shape: { ...v1Shape, score: int().nullable() } })]),
);

function migrationTo(
  id: string,
  from: Snapshot,
  to: Snapshot,
  transforms?: Migration['transforms'],
): Migration {
  const cs = diff(from, to);
  return { id, from: cs.from, to: cs.to, changes: cs.changes, ...(transforms ? { transforms } : {}) };
}
const migrations = [
  migrationTo('0001_rows', emptySnapshot(), v1),
  migrationTo('0002_score', v1, v2, { Row: { score: (old) => Number(old.n) * 2 + 1 } }),
];

// ---- figures ----------------------------------------------------------------------------------------

interface Figures {
  count: number;
  p50: number;
  p99: number;
  max: number;
  over100: number;
}

function figures(ops: readonly LiveOp[]): Figures {
  const ms = ops.map((op) => op.endedAt - op.startedAt).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.max(0, Math.ceil(q * ms.length) - 1)] ?? Number.NaN;
  return {
    count: ms.length,
    p50: at(0.5),
    p99: at(0.99),
    max: ms.at(-1) ?? Number.NaN,
    over100: ms.filter((m) => m > 100).length,
  };
}

function batchSummary(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return `batch p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`;
}

const f = (ms: number) => `${ms.toFixed(2)} ms`.padStart(11);

// ---- one engine -------------------------------------------------------------------------------------

async function seed(database: TestDatabase): Promise<void> {
  const db = database.db;
  const t = sql.table(TABLE);
  if (database.dialect === 'postgres') {
    await sql`insert into ${t} (id, label, n) select g, 'row ' || g, g % 1000 from generate_series(1, ${ROWS}) g`.execute(
      db,
    );
    await sql`vacuum analyze ${t}`.execute(db);
  } else if (database.dialect === 'mysql') {
    // MariaDB's sequence engine: seq_1_to_N is a table of 1..N.
    await sql`insert into ${t} (id, label, n) select seq, concat('row ', seq), seq % 1000 from ${sql.table(`seq_1_to_${ROWS}`)}`.execute(
      db,
    );
    await sql`analyze table ${t}`.execute(db);
  } else {
    await sql`with recursive g(i) as (select 1 union all select i + 1 from g where i < ${ROWS})
      insert into ${t} (id, label, n) select i, 'row ' || i, i % 1000 from g`.execute(db);
  }
}

async function benchEngine(engine: SqlEngineName): Promise<void> {
  const database = await createTestDatabase(engine, URLS);
  const db: Kysely<any> = database.db;
  try {
    if (database.dialect === 'sqlite') {
      // Stored in the file: the writer's own connections use it too.
      const { rows } = await sql<{
        journal_mode: string;
      }>`pragma journal_mode = ${sql.raw(SQLITE_JOURNAL)}`.execute(db);
      console.log(`\n${engine}: journal_mode ${rows[0]?.journal_mode}`);
    }
    const setup = await migrate(db, { migrations, to: '0001_rows' });
    if (setup.error) throw setup.error;
    let started = performance.now();
    await seed(database);
    console.log(
      `\n${engine}: ${ROWS.toLocaleString('en-US')} rows seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // The writer updates and deletes rows spread over the whole table, and inserts above it.
    const [table] = liveTablesOf(v1);
    if (!table || !database.url) throw new Error('no table or no URL');
    const sample = Math.min(ROWS, 20_000);
    table.keys = Array.from({ length: sample }, (_, i) => ({
      id: 1 + Math.floor(((i + 0.5) * ROWS) / sample),
    }));
    const writer = await startLiveWriter({
      dialect: database.dialect,
      url: database.url,
      plan: { tables: [table], counterStart: ROWS + 1_000_000 },
      ratePerSecond: RATE,
      workers: WORKERS,
    });

    const sampler =
      database.dialect === 'sqlite'
        ? undefined
        : sampleLockWaits(database.connect({ poolSize: 1 }), database.dialect);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const before = { from: wallClock(), to: 0 };
    await sleep(BASELINE_MS);
    before.to = wallClock();

    let migrationStart = 0;
    let migrationDone = 0;
    const batchMs: number[] = [];
    const timeline: { at: number; what: string }[] = [];
    started = performance.now();
    const result = await migrate(db, {
      migrations,
      ...(BATCH ? { batchSize: BATCH } : {}),
      ...(PAUSE !== undefined ? { pauseMs: PAUSE } : {}),
      onProgress: (e) => {
        const at = wallClock();
        if (e.type === 'migration-start') migrationStart = at;
        if (e.type === 'migration-done') migrationDone = at;
        if (e.type === 'backfill') batchMs.push(e.batchMs);
        else timeline.push({ at, what: e.type === 'step' ? `step ${e.index} ${e.description}` : e.type });
        if (e.type === 'backfill' && e.done)
          timeline.push({ at, what: `backfill done (${batchMs.length} batches)` });
      },
    });
    const migrationMs = performance.now() - started;
    if (!migrationDone) migrationDone = wallClock();

    const after = { from: wallClock(), to: 0 };
    await sleep(BASELINE_MS);
    after.to = wallClock();
    const ops = await writer.stop();
    const lockWaits = (await sampler?.stop()) ?? [];

    const inWindow = (w: { from: number; to: number }) => (op: LiveOp) =>
      op.startedAt >= w.from && op.startedAt < w.to;
    const baseline = figures(ops.filter((op) => inWindow(before)(op) || inWindow(after)(op)));
    const during = figures(ops.filter(inWindow({ from: migrationStart, to: migrationDone })));
    const errors = ops.filter((op) => op.error);

    console.log(
      `${engine}: load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (the machine is shared)`,
    );
    console.log(
      `${engine}: migrate ${result.error ? `FAILED (${result.error.message})` : 'ok'} in ${(migrationMs / 1000).toFixed(1)} s, ` +
        `${batchMs.length} batches (${batchSummary(batchMs)}); writer ${RATE}/s on ${database.dialect === 'sqlite' ? 1 : WORKERS} connection(s)`,
    );
    console.log(
      `  writer statement latency   ${'no migration'.padStart(14)} ${'during migrate'.padStart(16)}    ratio`,
    );
    const line = (name: string, a: number, b: number) =>
      console.log(`  ${name.padEnd(26)} ${f(a).padStart(14)} ${f(b).padStart(16)}   ${(b / a).toFixed(2)}x`);
    line('p50', baseline.p50, during.p50);
    line('p99  (target <= 2x)', baseline.p99, during.p99);
    line('max  (target <= 100 ms)', baseline.max, during.max);
    console.log(
      `  ${'statements'.padEnd(26)} ${String(baseline.count).padStart(14)} ${String(during.count).padStart(16)}`,
    );
    console.log(
      `  ${'statements > 100 ms'.padEnd(26)} ${String(baseline.over100).padStart(14)} ${String(during.over100).padStart(16)}`,
    );
    console.log(`  writer errors: ${errors.length}${errors[0] ? ` (first: ${errors[0].error})` : ''}`);
    // Lock waits proper, sampled every 5 ms from the server (lock-wait-sampler.ts): "blocked", not "slow".
    const waitsIn = (w: { from: number; to: number }) =>
      lockWaits.filter((l) => l.seenAt >= w.from && l.seenAt < w.to);
    const waitsDuring = waitsIn({ from: migrationStart, to: migrationDone });
    const blockedOver100 = waitsDuring.filter((l) => l.ms > 100);
    if (sampler) {
      const waitsBaseline = [...waitsIn(before), ...waitsIn(after)];
      const longest = (list: typeof lockWaits) => Math.max(0, ...list.map((l) => l.ms));
      console.log(
        `  ${'lock waits seen (longest)'.padEnd(26)} ${`${waitsBaseline.length} (${longest(waitsBaseline).toFixed(0)} ms)`.padStart(14)} ${`${waitsDuring.length} (${longest(waitsDuring).toFixed(0)} ms)`.padStart(16)}`,
      );
      console.log(
        `  application statements blocked > 100 ms on a lock during the migration: ${blockedOver100.length}`,
      );
      for (const l of blockedOver100.slice(0, 5)) console.log(`    ${l.ms.toFixed(0)} ms: ${l.query}`);
    }
    const slowAll = ops.filter(
      (op) =>
        op.startedAt >= migrationStart && op.startedAt < migrationDone && op.endedAt - op.startedAt > 100,
    );
    // Where the slow statements fell: the migration's phase at their start.
    for (const op of slowAll.slice(0, 8)) {
      const phase = timeline.filter((t) => t.at <= op.startedAt).at(-1);
      const offset = ((op.startedAt - migrationStart) / 1000).toFixed(2);
      console.log(
        `  slow ${op.kind} ${(op.endedAt - op.startedAt).toFixed(0)} ms at +${offset} s, during: ${phase?.what ?? 'before the migration'}`,
      );
    }
    // A slow statement that overlaps slow statements on every other connection fell in a stall of the whole
    // server (I/O, a log flush), not behind a lock on its own row: the writer's rows are spread over the table.
    const connections = database.dialect === 'sqlite' ? 1 : WORKERS;
    if (connections > 1 && slowAll.length > 0) {
      const together = slowAll.filter(
        (op) =>
          slowAll.filter((o) => o !== op && o.startedAt < op.endedAt && op.startedAt < o.endedAt).length >=
          connections - 1,
      ).length;
      console.log(
        `  slow statements that every other connection was slow through too (a server-wide stall): ${together} of ${slowAll.length}`,
      );
    }
    const phases = timeline.map((t) => `+${((t.at - migrationStart) / 1000).toFixed(2)} s ${t.what}`);
    console.log(`  phases: ${phases.join('; ')}`);
    const met = during.p99 <= 2 * baseline.p99 && during.max <= 100;
    const blocked = sampler ? `; blocked on a lock > 100 ms: ${blockedOver100.length} statements` : '';
    console.log(
      `writer-latency ${engine}: p99 ${(during.p99 / baseline.p99).toFixed(2)}x, max ${during.max.toFixed(0)} ms vs goal <= 2x, <= 100 ms: ${met ? 'met' : 'not met'}${blocked}`,
    );
    checks.push({
      figure: `${engine} writer p99 ${(during.p99 / baseline.p99).toFixed(2)}x of no migration, max ${during.max.toFixed(0)} ms`,
      goal: '<= 2x, <= 100 ms',
      met,
    });
  } finally {
    await database.destroy();
  }
}

const checks: SummaryCheck[] = [];
for (const engine of ENGINES) await benchEngine(engine);
summary({ bench: 'writer-latency', checks });
