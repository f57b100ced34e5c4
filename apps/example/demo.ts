// `pnpm demo`: walks an empty SQLite database through every version of the shop's models, one migration at
// a time, seeding a few rows at version 1 and showing what each step did and the data after it. The event
// log is stored as JSON documents and read through versioned(): old documents are upgraded as they are read.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type OpenDatabase, openDatabase, parseDatabaseUrl } from '@evolve/cli';
import type { Migration } from '@evolve/core';
import {
  createDocumentTable,
  createSqlDocumentStore,
  createUpgrader,
  sweep,
  versioned,
} from '@evolve/document';
import { migrate } from '@evolve/sql';
import migrations from './migrations/index.ts';
import { Event } from './src/models.ts';

const dir = fileURLToPath(new URL('./.tmp/', import.meta.url));
const file = `${dir}demo.db`;
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

function describe(migration: Migration): string[] {
  return migration.changes.map((c) => {
    const at = [c.model, ...c.path].join('.');
    const from = c.kind === 'renameField' ? ` (from ${[c.model, ...c.from].join('.')})` : '';
    return `${c.kind} ${at}${from} [${c.risk}]`;
  });
}

function show(title: string, rows: readonly Record<string, unknown>[]) {
  console.log(`  ${title}:`);
  // Ids first, the rest as stored.
  for (const { _id, id, ...rest } of rows) console.log(dim(`    ${JSON.stringify({ _id, id, ...rest })}`));
}

async function seed(db: OpenDatabase['db']) {
  await db
    .insertInto('customers')
    .values([
      { id: 1, name: 'Ada King Lovelace', email: 'ada@example.com' },
      { id: 2, name: 'Grace Hopper', email: 'grace@example.com' },
      { id: 3, name: 'Linus', email: 'linus@example.com' },
    ])
    .execute();
  await db
    .insertInto('orders')
    .values([
      { id: 10, customerId: 1, total: 42.5, status: 'Paid' },
      { id: 11, customerId: 1, total: 9.99, status: 'sent' },
      { id: 12, customerId: 2, total: 120, status: 'new' },
      { id: 13, customerId: 3, total: 15, status: 'canceled' },
    ])
    .execute();
  // Event documents as version 1 wrote them (no version field: the version that created the model).
  await createDocumentTable(db, { table: Event.table });
  await createSqlDocumentStore(db, { table: Event.table }).insert([
    {
      _id: 'e1',
      type: 'order.placed',
      at: '2026-01-05T10:00:00Z',
      payload: { customerId: 1, note: 'first order' },
    },
    {
      _id: 'e2',
      type: 'order.placed',
      at: '2026-01-06T09:30:00Z',
      payload: { customerId: 2, note: 'gift wrap' },
    },
    {
      _id: 'e3',
      type: 'customer.note',
      at: '2026-01-07T16:45:00Z',
      payload: { customerId: 1, note: 'prefers email' },
    },
  ]);
  console.log('  seeded 3 customers, 4 orders (free-text statuses) and 3 version-1 event documents');
}

async function main() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The same helper the CLI uses: a Kysely instance for a database URL (here an embedded SQLite file).
  const { db, close } = await openDatabase(parseDatabaseUrl(`file:${file}`, dir));
  console.log(
    bold(`evolve demo: the shop's models through ${migrations.length} versions, on SQLite (${file})`),
  );

  for (const [i, migration] of migrations.entries()) {
    console.log(`\n${bold(`── version ${i + 1}: ${migration.id}`)}`);
    for (const line of describe(migration)) console.log(`  change  ${line}`);
    let steps = 0;
    const result = await migrate(db, {
      migrations,
      to: migration.id,
      onProgress: (e) => {
        if (e.type === 'step') {
          steps += 1;
          console.log(`  step    ${e.description}`);
        }
        if (e.type === 'backfill' && e.done) console.log(`  backfill ${e.table}: ${e.rowsDone} rows`);
      },
    });
    if (result.error) throw result.error;
    if (steps === 0)
      console.log('  step    (no SQL: only document models changed; documents are upgraded when read)');
    if (i === 0) await seed(db);
    show('customers', await db.selectFrom('customers').selectAll().orderBy('id').execute());
    show('orders', await db.selectFrom('orders').selectAll().orderBy('id').execute());
    // The event log as code at this version reads it: upgraded lazily, validated against that version.
    const events = versioned(
      createSqlDocumentStore(db, { table: Event.table }),
      createUpgrader({ model: 'Event', migrations: migrations.slice(0, i + 1) }),
    );
    show('events (read through versioned())', await events.find({}).toArray());
  }

  console.log(`\n${bold('── documents: lazy, then eager')}`);
  const store = createSqlDocumentStore(db, { table: Event.table });
  const upgrader = createUpgrader({ model: Event, migrations });
  show('events as stored (still version 1: nothing rewrote them)', await collect(store.find({})));
  const events = versioned(store, upgrader);
  show(
    'events with customerId 1 (the filter also matches the old payload.customerId)',
    await events.find({ customerId: 1 }).toArray(),
  );
  const swept = await sweep(store, upgrader, { batchSize: 2 });
  console.log(
    `  sweep: ${swept.upgraded} upgraded, ${swept.skipped} already current, ${swept.failed} failed`,
  );
  show(`events as stored after the sweep (version ${upgrader.latestVersion})`, await collect(store.find({})));

  await close();
  console.log(`\n${bold('done')}: every version applied; the database is at ${migrations.at(-1)?.id}.`);
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

main().catch((error) => {
  console.error(`demo failed: ${error?.code ? `${error.code}: ` : ''}${error?.message ?? error}`);
  process.exitCode = 1;
});
