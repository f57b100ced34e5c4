// estimateDocumentCost (issue 13, "the cost of each change", document side): the per-read microseconds
// against a measured loop of the same upgrades, and the sweep estimate's order of magnitude against a real
// sweep of 100k documents (SQLite JSON store, PostgreSQL jsonb, MongoDB where a server is available).
import { EvolveError, type Migration, type Row, todo } from '@evolve/core';
import { describeEngine, describeSqlEngines } from '@evolve/harness';
import { describe, expect, it } from 'vitest';
import {
  countStoredDocuments,
  createDocumentTable,
  createMongoDocumentStore,
  createSqlDocumentStore,
  createUpgrader,
  DEFAULT_SWEEP_RATES,
  type DocumentStore,
  type DocumentStoreKind,
  describeMongoServer,
  estimateDocumentCost,
  sweep,
} from '../src/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createUserUpgrader, userMigrations } from './fixtures/runtime-user-history.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

const ROWS = 100_000;

/** A stored document at version 1 of the runtime tests' User history (no version field: the created one). */
const v1 = (i: number): Row => ({
  _id: `u${String(i).padStart(6, '0')}`,
  name: `user ${i}`,
  ...(i % 2 === 0 ? { address: { town: `town ${i % 97}` } } : {}),
});

/** Mean microseconds of `upgrade` over `docs`: the median of three timed passes after an untimed one. */
function loopMicros(upgrade: (doc: Row) => unknown, docs: readonly Row[]): number {
  for (const doc of docs) upgrade(doc);
  const passes = [0, 1, 2].map(() => {
    const t0 = performance.now();
    for (const doc of docs) upgrade(doc);
    return ((performance.now() - t0) * 1000) / docs.length;
  });
  return passes.sort((a, b) => a - b)[1] as number;
}

describe('estimateDocumentCost: the upgrade cost per read', () => {
  it('measures the microseconds a read of an outdated document pays within 5x of a loop over 100k documents', () => {
    const upgrader = createUserUpgrader();
    const docs = Array.from({ length: ROWS }, (_, i) => v1(i));
    const measured = loopMicros(upgrader.upgrade, docs);
    const fromSample = estimateDocumentCost({ upgrader, sample: docs.slice(0, 500) });
    const synthetic = estimateDocumentCost({ model: 'User', migrations: userMigrations() });
    console.log(
      `upgrade v1 -> v3: loop of ${ROWS} ${measured.toFixed(2)} µs/doc; estimated ${fromSample.upgradeMicros?.toFixed(2)} µs (500 stored documents), ${synthetic.upgradeMicros?.toFixed(2)} µs (synthetic), ratio ${((fromSample.upgradeMicros as number) / measured).toFixed(2)} and ${((synthetic.upgradeMicros as number) / measured).toFixed(2)}`,
    );
    expect(fromSample).toMatchObject({ model: 'User', latestVersion: 3, sampledFrom: 'given', todos: [] });
    expect(fromSample.versions.map((v) => [v.version, v.timed])).toEqual([[1, 500]]);
    expect(synthetic.sampledFrom).toBe('synthetic');
    // every version a step starts from is timed: v1 (two steps to go) and v2 (one)
    expect(synthetic.versions.map((v) => v.version)).toEqual([1, 2]);
    // the estimate repeats a few hundred documents (hot in the cache, as a document just read is); the loop
    // walks 100k distinct ones: runs here put the ratio between 0.4 and 2
    for (const estimate of [fromSample.upgradeMicros, synthetic.upgradeMicros] as number[]) {
      expect(estimate).toBeGreaterThan(measured / 5);
      expect(estimate).toBeLessThan(measured * 5);
    }
    // a document already at the latest version pays its validation only
    expect(synthetic.currentMicros).toBeGreaterThan(0);
    expect(synthetic.currentMicros).toBeLessThan(synthetic.upgradeMicros as number);
  });

  it('times a pending migration whose transform is still a TODO with a stand-in, and names the TODO', () => {
    const migrations: Migration[] = userMigrations().map((m) => ({ ...m }));
    const last = migrations[2] as Migration;
    migrations[2] = { ...last, transforms: { User: { upgradedTimes: todo('User.upgradedTimes') } } };
    // the real upgrader cannot upgrade anything yet
    const plain = estimateDocumentCost({
      upgrader: createUpgrader({ model: 'User', migrations }),
      samples: 20,
    });
    expect(plain.upgradeMicros).toBeUndefined();
    expect(plain.versions.map((v) => v.failed)).toEqual([{ TODO_TRANSFORM: 20 }, { TODO_TRANSFORM: 20 }]);
    const stood = estimateDocumentCost({ model: 'User', migrations, samples: 20 });
    expect(stood.todos).toEqual(['User.upgradedTimes (0003_add_tags)']);
    expect(stood.upgradeMicros).toBeGreaterThan(0);
    expect(stood.versions.every((v) => v.timed === 20)).toBe(true);
  });

  it('costs nothing per read for a model no step changes, and estimates its sweep from the store rate', () => {
    const cost = estimateDocumentCost({
      model: 'User',
      migrations: userMigrations().slice(0, 1),
      documents: 1000,
      rates: { sweep: 500 },
    });
    expect(cost).toMatchObject({ upgradeMicros: 0, versions: [], documents: 1000, rates: { sweep: 500 } });
    expect(cost.sweepSeconds).toBe(2);
    // MongoDB has no measured default rate: the estimate says so instead of guessing one
    const mongo = estimateDocumentCost({ upgrader: createUserUpgrader(), documents: 10, store: 'mongodb' });
    expect(mongo.sweepSeconds).toBeUndefined();
    expect(mongo.sweepUnknown).toMatch(/no measured sweep rate for mongodb: pass rates\.sweep/);
  });

  it('refuses bad input with INVALID_CONFIG naming the option', () => {
    const upgrader = createUserUpgrader();
    const refused = (options: Parameters<typeof estimateDocumentCost>[0], path: string) => {
      let error: unknown;
      try {
        estimateDocumentCost(options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EvolveError);
      expect(error).toMatchObject({ code: 'INVALID_CONFIG', path });
    };
    refused({ model: 'User' }, 'upgrader');
    refused({ upgrader, model: 'User', migrations: userMigrations() }, 'upgrader');
    refused({ upgrader, documents: -1 }, 'documents');
    refused({ upgrader, documents: 1.5 }, 'documents');
    refused({ upgrader, rates: { sweep: 0 } }, 'rates.sweep');
    refused({ upgrader, budgetMs: Number.NaN }, 'budgetMs');
  });
});

/** Fills `store` with `rows` version-1 documents, estimates, sweeps for real, and compares. */
async function estimateAgainstSweep(
  store: DocumentStore,
  kind: DocumentStoreKind,
  rows = ROWS,
): Promise<void> {
  const upgrader = createUserUpgrader();
  for (let i = 0; i < rows; i += 2000) {
    await store.insert(Array.from({ length: Math.min(2000, rows - i) }, (_, j) => v1(i + j)));
  }
  const counts = await countStoredDocuments(store, { upgrader });
  expect(counts).toEqual({ total: rows, outdated: rows });
  const sample: Row[] = [];
  for await (const doc of store.find({}, { sort: { _id: 1 }, limit: 500 })) sample.push(doc);
  // no default rate for MongoDB itself (none to measure here): then the rate this sweep reaches is printed
  const rates = DEFAULT_SWEEP_RATES[kind] ? {} : { rates: { sweep: 1000 } };
  const cost = estimateDocumentCost({
    upgrader,
    sample,
    documents: counts.outdated as number,
    store: kind,
    ...rates,
  });
  const synthetic = estimateDocumentCost({
    model: 'User',
    migrations: userMigrations(),
    documents: rows,
    store: kind,
  });

  const started = performance.now();
  const result = await sweep(store, upgrader, { checkpoint: false });
  const measured = (performance.now() - started) / 1000;
  expect(result).toMatchObject({ scanned: rows, upgraded: rows, failed: 0 });
  const upgradeSeconds = (rows * (cost.upgradeMicros as number)) / 1e6;
  console.log(
    `${kind}: sweep of ${rows} documents measured ${measured.toFixed(2)} s (${Math.round(rows / measured)} docs/s; ` +
      `${Math.round(rows / (measured - upgradeSeconds))} docs/s without the measured upgrade cost of ${cost.upgradeMicros?.toFixed(2)} µs) ` +
      `vs estimated ${cost.sweepSeconds?.toFixed(2)} s (sample), ${synthetic.sweepSeconds?.toFixed(2)} s (synthetic); ratio ${((cost.sweepSeconds as number) / measured).toFixed(2)}`,
  );
  if (!DEFAULT_SWEEP_RATES[kind]) return;
  for (const estimate of [cost.sweepSeconds, synthetic.sweepSeconds] as number[]) {
    expect(estimate).toBeGreaterThan(measured / 10);
    expect(estimate).toBeLessThan(measured * 10);
  }
  expect(await countStoredDocuments(store, { upgrader })).toEqual({ total: rows, outdated: 0 });
}

describeSqlEngines(
  'estimateDocumentCost against a real sweep of 100k documents',
  (ctx, engine) => {
    settleConnectionsAfterAll(ctx);
    it('estimates the sweep within 10x of the measured one', async () => {
      const { db } = ctx();
      const table = `cost_docs_${Date.now().toString(36)}`;
      await createDocumentTable(db, { table });
      await estimateAgainstSweep(
        createSqlDocumentStore(db, { table }),
        engine === 'sqlite' ? 'sqlite' : 'postgres',
      );
    }, 300_000);
  },
  { engines: ['sqlite', 'postgres'] },
);

// FerretDB (the MongoDB server here and in CI) sweeps about a hundred documents a second: 100k would take
// a quarter of an hour, so this one sweeps 1k.
const MONGO_ROWS = 1000;
describeEngine('mongodb', 'estimateDocumentCost against a real sweep of 10k documents', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_cost');
  it('estimates the sweep within 10x of the measured one, counting through the driver', async () => {
    const db = mongo.db();
    const collection = db.collection('users');
    const { flavor } = await describeMongoServer(db);
    await estimateAgainstSweep(createMongoDocumentStore(collection), flavor, MONGO_ROWS);
    // the driver's own collection: its total from the metadata (estimatedDocumentCount)
    expect((await countStoredDocuments(collection)).total).toBe(MONGO_ROWS);
  }, 600_000);
});
