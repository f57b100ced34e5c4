/**
 * Backfill throughput with the change log active (issue 9 items 2 and 3) beside the same backfill without
 * it, in the same run. The migration converts a column through a shadow column with a TS transform (int ->
 * string); while it runs the old application (an in-process writer on its own connections) updates rows
 * at a steady pace (inserts would leave NULLs in the baseline, failing its NOT NULL). "Without" compiles the same migration with its change-log steps removed
 * (the behaviour before: writes made during the backfill are lost); "with" is what migrate() runs: the
 * triggers log every write, a catch-up loop recomputes the logged rows, the contract drains the rest under
 * a short lock. The backfill phase is timed from its first batch to the end of the catch-up loop.
 * Target: throughput with >= 0.7x throughput without.
 *
 * Run: npx tsx bench/sql-change-log.bench.ts
 *   BENCH_ROWS=200000        rows seeded
 *   BENCH_ENGINES=postgres   any of postgres,mysql (servers from EVOLVE_TEST_POSTGRES_URL / EVOLVE_TEST_MYSQL_URL)
 *   BENCH_ROUNDS=2           runs of each, alternating; the best of each is compared
 *   BENCH_WRITER_PAUSE=5     ms between the writer's statements (0: no writer)
 * It creates and drops its own databases.
 */
import { z } from 'zod';
import type { CompiledStep } from '../packages/sql/src/compiled-step.ts';
import { defaultCompile } from '../packages/sql/src/runtime/default-compile.ts';
import { type CompileMigration, migrate } from '../packages/sql/src/runtime/index.ts';
import { twoVersions } from '../packages/sql/test/fixtures/online-migrations.ts';
import { startWriter } from '../packages/sql/test/fixtures/online-start-writer.ts';
import type { Kysely } from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import { sql } from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import { createTestDatabase, type SqlEngineName } from '../test/harness/src/index.ts';
import { type SummaryCheck, summary } from './summary.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',').map((e) => e.trim()) as SqlEngineName[];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WRITER_PAUSE = Number(process.env.BENCH_WRITER_PAUSE ?? 5);
const URLS = {
  postgres: process.env.EVOLVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.EVOLVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};
const TABLE = 'bench_sync';
const int = () => z.number().int();
const migrations = twoVersions(
  TABLE,
  {
    v1: { id: int(), qty: int(), note: z.string().max(40) },
    v2: { id: int(), qty: z.string().max(20), note: z.string().max(40) },
  },
  { slug: 'qty_text', transforms: { Item: { qty: (old) => `q${old.qty}` } }, acknowledge: ['Item.qty'] },
);

/** The same steps without the change log: no triggers, no catch-up (a folded catch-up keeps its DDL). */
const withoutChangeLog: CompileMigration = (migration, context) =>
  defaultCompile(migration, context)
    .filter((s) => !s.description.startsWith('log writes'))
    .map((s): CompiledStep => {
      const { catchUp: _, ...rest } = s;
      if (!rest.backfill) return rest;
      const { changeLog: __, ...backfill } = rest.backfill;
      return { ...rest, backfill };
    });

interface Run {
  backfillMs: number;
  totalMs: number;
  writes: number;
}

async function seed(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ${sql.table(TABLE)}`.execute(db);
  for (const t of ['evolve_migration_steps', 'evolve_migrations', 'evolve_lock']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
  const first = await migrate(db, { migrations: migrations.slice(0, 1) });
  if (first.error) throw first.error;
  const chunk = 5000;
  for (let i = 0; i < ROWS; i += chunk) {
    const rows = Array.from({ length: Math.min(chunk, ROWS - i) }, (_, j) => ({
      id: i + j + 1,
      qty: i + j + 1,
      note: 'seed',
    }));
    await db.insertInto(TABLE).values(rows).execute();
  }
}

async function once(engine: SqlEngineName, changeLog: boolean): Promise<Run> {
  const database = await createTestDatabase(engine, URLS);
  try {
    const { db } = database;
    await seed(db);
    const writer =
      WRITER_PAUSE > 0
        ? await startWriter(database, {
            table: TABLE,
            seeded: ROWS,
            firstNewId: ROWS + 1_000_000,
            column: 'qty',
            fixed: { note: 'old code' },
            // updates only: an insert during the backfill leaves a NULL without the change log, and the
            // baseline would then fail its NOT NULL
            insertEvery: Number.MAX_SAFE_INTEGER,
            pauseMs: WRITER_PAUSE,
            seed: 1,
          })
        : undefined;
    let backfillStart = 0;
    let backfillEnd = 0;
    const started = performance.now();
    const result = await migrate(db, {
      migrations,
      ...(changeLog ? {} : { compile: withoutChangeLog }),
      onProgress: (e) => {
        if (e.type !== 'step') return;
        if (e.description.startsWith('backfill')) backfillStart = performance.now();
        else if (backfillStart > 0 && backfillEnd === 0) {
          backfillEnd = performance.now();
          writer?.requestStop();
        }
      },
    });
    const totalMs = performance.now() - started;
    const log = await writer?.stop();
    if (result.error) throw result.error;
    return { backfillMs: backfillEnd - backfillStart, totalMs, writes: log?.writes ?? 0 };
  } finally {
    await database.destroy();
  }
}

const rate = (ms: number) => `${Math.round((ROWS / ms) * 1000).toLocaleString('en-US')} rows/s`;

const checks: SummaryCheck[] = [];
for (const engine of ENGINES) {
  console.log(
    `${engine}: shadow-column backfill of ${ROWS.toLocaleString('en-US')} rows (TS transform), ` +
      `${WRITER_PAUSE > 0 ? `old code writing every ${WRITER_PAUSE} ms` : 'no writer'}`,
  );
  let without: Run | undefined;
  let withLog: Run | undefined;
  const best = (a: Run | undefined, b: Run) => (a && a.backfillMs <= b.backfillMs ? a : b);
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await once(engine, false);
    const b = await once(engine, true);
    without = best(without, a);
    withLog = best(withLog, b);
    console.log(
      `  round ${round}: without ${a.backfillMs.toFixed(0)} ms (${a.writes} writes), with ${b.backfillMs.toFixed(0)} ms (${b.writes} writes)`,
    );
  }
  if (!without || !withLog) throw new Error('no rounds');
  console.log(
    `  backfill without change log ${rate(without.backfillMs).padStart(16)}  (${without.backfillMs.toFixed(0)} ms; migrate ${without.totalMs.toFixed(0)} ms)`,
  );
  console.log(
    `  backfill with change log    ${rate(withLog.backfillMs).padStart(16)}  (${withLog.backfillMs.toFixed(0)} ms; migrate ${withLog.totalMs.toFixed(0)} ms)`,
  );
  console.log(
    `  ratio ${(without.backfillMs / withLog.backfillMs).toFixed(2)}x (target >= 0.7x); migrate() overall ${(without.totalMs / withLog.totalMs).toFixed(2)}x`,
  );
  const ratio = without.backfillMs / withLog.backfillMs;
  checks.push({
    figure: `${engine} with change log ${ratio.toFixed(2)}x of without`,
    goal: '>= 0.7x',
    met: ratio >= 0.7,
  });
}
summary({ bench: 'sql-change-log', checks });
