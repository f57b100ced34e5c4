// The runs of bench/sql-backfill.bench.ts: a seeded table per engine, the baseline UPDATE, and migrate()'s
// batched backfills of the same values (SQL expression or TS transform), with every batch's duration.
import type { Migration } from '../packages/core/src/index.ts';
import type { CompiledStep } from '../packages/sql/src/compiled-step.ts';
import { arrayLiteral } from '../packages/sql/src/dialects/postgres/postgres-runtime.ts';
import { type MigrateOptions, migrate } from '../packages/sql/src/runtime/index.ts';
import { type Kysely, sql } from '../packages/sql/test/fixtures/runtime-bench-deps.ts';
import type { SqlDialectName } from '../test/harness/src/index.ts';

/** A table of `rows` rows `(id, label, n)` with `score` NULL, fresh and analyzed. */
export async function freshTable(
  db: Kysely<any>,
  dialect: SqlDialectName,
  table: string,
  rows: number,
): Promise<void> {
  const t = sql.table(table);
  await sql`drop table if exists ${t}`.execute(db);
  await sql`create table ${t} (id integer primary key, label varchar(40) not null, n integer not null, score integer)`.execute(
    db,
  );
  if (dialect === 'postgres') {
    await sql`insert into ${t} (id, label, n) select g, 'row ' || g, g % 1000 from generate_series(1, ${rows}) g`.execute(
      db,
    );
    await sql`vacuum analyze ${t}`.execute(db);
  } else if (dialect === 'mysql') {
    // MariaDB's sequence engine: seq_1_to_N is a table of 1..N.
    await sql`insert into ${t} (id, label, n) select seq, concat('row ', seq), seq % 1000 from ${sql.table(`seq_1_to_${rows}`)}`.execute(
      db,
    );
    await sql`analyze table ${t}`.execute(db);
  } else {
    await sql`with recursive g(i) as (select 1 union all select i + 1 from g where i < ${rows})
      insert into ${t} (id, label, n) select i, 'row ' || i, i % 1000 from g`.execute(db);
    await sql`analyze`.execute(db);
  }
}

/** Fails when a row of `table` lacks its backfilled value. */
export async function verify(db: Kysely<any>, table: string): Promise<void> {
  const { rows } = await sql<{ bad: string | number }>`
    select count(*) as bad from ${sql.table(table)} where score is null or score <> n * 2 + 1`.execute(db);
  if (Number(rows[0]?.bad) !== 0) throw new Error(`${table}: backfill missed rows`);
}

export async function resetJournal(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists evolve_migration_steps`.execute(db);
  await sql`drop table if exists evolve_migrations`.execute(db);
}

/** The one set-based UPDATE the batched backfills are measured against; its duration. */
export async function baselineUpdate(db: Kysely<any>, table: string): Promise<number> {
  const started = performance.now();
  await sql`update ${sql.table(table)} set score = n * 2 + 1`.execute(db);
  return performance.now() - started;
}

export type BackfillKind = 'expression' | 'ts';

/** The migration and compiled step of one backfill of `table`.score. */
export function backfillMigration(
  kind: BackfillKind,
  table: string,
): { migration: Migration; step: CompiledStep } {
  const step: CompiledStep = {
    description: `backfill ${table}.score`,
    transactional: false,
    statements: [],
    backfill: {
      model: 'Item',
      table,
      key: ['id'],
      read: kind === 'ts' ? { n: 'n' } : {},
      set: {
        score: kind === 'ts' ? { transform: { model: 'Item', field: 'score' } } : { expression: 'n * 2 + 1' },
      },
    },
  };
  const id = `0001_${kind}_${table}`;
  const migration: Migration = {
    id,
    from: `f-${id}`,
    to: `t-${id}`,
    changes: [],
    ...(kind === 'ts'
      ? { transforms: { Item: { score: (old: Record<string, unknown>) => Number(old.n) * 2 + 1 } } }
      : {}),
    sql: { bench: step.description },
  };
  return { migration, step };
}

/** One batched backfill by migrate(): its duration, every batch's duration, and the process's RSS. */
export interface BackfillRun {
  ms: number;
  batchMs: number[];
  rssBefore: number;
  rssPeak: number;
}

export async function batchedBackfill(
  db: Kysely<any>,
  kind: BackfillKind,
  table: string,
  options: Pick<MigrateOptions, 'pauseMs' | 'batchSize'>,
): Promise<BackfillRun> {
  const { migration, step } = backfillMigration(kind, table);
  const batchMs: number[] = [];
  await resetJournal(db);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await migrate(db, {
      migrations: [migration],
      compile: () => [step],
      onProgress: (e) => {
        if (e.type === 'backfill') batchMs.push(e.batchMs);
      },
      ...options,
    });
    if (result.error) throw result.error;
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  await verify(db, table);
  return { ms, batchMs, rssBefore, rssPeak };
}

/**
 * PostgreSQL: the least a TS backfill on one connection does, written by hand as a baseline for
 * migrate()'s own loop: read a batch (key, input column, xmin) in key order, compute in JS, and write it
 * back in a transaction with one UPDATE from unnested arrays, checked by xmin and bounded by the batch's
 * key range; a fixed batch size, no checkpoint, no pacing, no retries. Its duration.
 */
export async function minimalTsLoop(db: Kysely<any>, table: string, batchRows: number): Promise<number> {
  const t = sql.table(table);
  const started = performance.now();
  await db.connection().execute(async (conn) => {
    let last = 0;
    for (;;) {
      const { rows } = await sql<{ id: number; n: number; v: string }>`
        select id, n, xmin::text as v from ${t} where id > ${last} order by id limit ${batchRows}`.execute(
        conn,
      );
      if (rows.length === 0) return;
      // each column one array literal, as migrate() binds them
      const ids = arrayLiteral(rows.map((r) => r.id));
      const scores = arrayLiteral(rows.map((r) => r.n * 2 + 1));
      const versions = arrayLiteral(rows.map((r) => r.v));
      const first = rows[0]!.id;
      last = rows[rows.length - 1]!.id;
      await conn.transaction().execute(async (trx) => {
        const result = await sql`update ${t} as t set score = v.score
          from unnest(${ids}::int[], ${scores}::int[], ${versions}::xid[]) as v(id, score, version)
          where t.id = v.id and t.xmin = v.version and t.id >= ${first} and t.id <= ${last}`.execute(trx);
        if (Number(result.numAffectedRows) !== rows.length) throw new Error(`${table}: rows changed`);
      });
    }
  });
  return performance.now() - started;
}
