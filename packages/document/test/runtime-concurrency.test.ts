import type { Row } from '@evolve/core';
import { describeEngine, describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import {
  createDocumentTable,
  createMongoDocumentStore,
  createSqlDocumentStore,
  type DocumentStore,
  describeMongoServer,
  sweep,
  versioned,
} from '../src/runtime/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

/** Documents in the store (FerretDB 1.x scans its table on every write, so it gets fewer). */
const DOCS = 1500;
const FERRETDB_DOCS = 100;
const WRITERS = 8;
const WRITES_PER_WRITER = 900; // 7,200 writes
const READERS = 4;
const READS_PER_READER = 700; // 2,800 reads: 10,000 operations in all

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPERATIONS = WRITERS * WRITES_PER_WRITER + READERS * READS_PER_READER;

/**
 * 8 writers (versioned updates), 4 lazy readers with write-back and a sweep race over one store near a
 * shared frontier; every increment a writer saw acknowledged must be stored, and every document upgraded once.
 */
async function raceOnStore(store: DocumentStore, engine: string, docs = DOCS): Promise<void> {
  const idOf = (i: number) => `c${String(i % docs).padStart(5, '0')}`;
  const seed: Row[] = Array.from({ length: docs }, (_, i) => {
    const _id = idOf(i);
    if (i % 3 === 0) return { _id, name: `N${i}` };
    if (i % 3 === 1) return { _id, _v: 2, fullName: `N${i}`, _rev: 1 };
    return { _id, _v: 3, fullName: `N${i}`, tags: [], upgradedTimes: 1, _rev: 1 };
  });
  for (let i = 0; i < docs; i += 500) await store.insert(seed.slice(i, i + 500));
  const upgrader = createUserUpgrader();
  // Readers and writers work near a shared frontier that moves down from the last document as operations
  // complete (the sweep goes up from the first), so they meet on the same still-outdated documents.
  let done = 0;
  const near = (next: () => number) =>
    docs * 2 - 1 - Math.floor((done / OPERATIONS) * docs) - Math.floor(next() * 12);

  // Each writer increments its own counter field; it knows how many of its increments succeeded.
  const expected = Array.from({ length: WRITERS }, () => new Map<string, number>());
  const writerStats: { conflicts: number; upgradedOnWrite: number; errors: number; firstError?: string }[] =
    [];
  const writer = async (w: number) => {
    const app = versioned(store, upgrader);
    const next = random(1000 + w);
    let errors = 0;
    let firstError: string | undefined;
    for (let n = 0; n < WRITES_PER_WRITER; n++) {
      const id = idOf(near(next));
      try {
        const result = await app.updateOne({ _id: id }, { $inc: { [`w${w}`]: 1 } });
        if (result.matchedCount === 1) expected[w]!.set(id, (expected[w]!.get(id) ?? 0) + 1);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
      done++;
    }
    writerStats.push({
      conflicts: app.stats.conflicts,
      upgradedOnWrite: app.stats.upgradedOnWrite,
      errors,
      ...(firstError ? { firstError } : {}),
    });
  };
  const readerStats: { upgraded: number; writtenBack: number; conflicts: number }[] = [];
  const reader = async (r: number) => {
    const app = versioned(store, upgrader, { writeBack: true });
    const next = random(2000 + r);
    for (let n = 0; n < READS_PER_READER; n++) {
      const start = near(next);
      const docs =
        n % 2
          ? [await app.findOne({ _id: idOf(start) })]
          : await app.find({ _id: { $in: [idOf(start), idOf(start + 3), idOf(start + 7)] } }).toArray();
      for (const doc of docs)
        expect(doc).toMatchObject({ _v: 3, fullName: expect.any(String), tags: expect.any(Array) });
      done++;
    }
    readerStats.push({ ...app.stats });
  };

  const started = Date.now();
  const [sweepResult] = await Promise.all([
    sweep(store, upgrader, { batchSize: 20, rate: 250 }),
    ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
    ...Array.from({ length: READERS }, (_, r) => reader(r)),
  ]);
  const elapsed = Date.now() - started;
  console.info(
    `[concurrency] ${engine} (${docs} documents): ${WRITERS * WRITES_PER_WRITER + READERS * READS_PER_READER} operations in ${elapsed} ms;` +
      ` sweep ${JSON.stringify({ ...sweepResult, failures: sweepResult.failures.length })};` +
      ` writers ${JSON.stringify(writerStats)}; readers ${JSON.stringify(readerStats)}`,
  );

  expect(writerStats.every((s) => s.errors === 0)).toBe(true);
  expect(sweepResult.failed).toBe(0);
  const stored = new Map<string, Row>();
  for await (const doc of store.find({})) stored.set(doc._id as string, doc);
  expect(stored.size).toBe(docs);
  let lost = 0;
  for (let w = 0; w < WRITERS; w++) {
    for (const [id, doc] of stored) {
      if ((doc[`w${w}`] ?? 0) !== (expected[w]!.get(id) ?? 0)) lost++;
    }
  }
  expect(lost).toBe(0);
  const total = expected.reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0);
  expect(total).toBe(WRITERS * WRITES_PER_WRITER);
  expect([...stored.values()].filter((d) => d._v !== 3)).toEqual([]);
  expect([...stored.values()].filter((d) => d.upgradedTimes !== 1)).toEqual([]);
  // Exactly once: the successful upgrade writes of the sweep, the readers and the writers add up to the
  // number of outdated documents (a second write of the same upgrade would make the sum larger).
  const outdated = seed.filter((d) => d._v !== 3).length;
  const upgradeWrites =
    sweepResult.upgraded +
    readerStats.reduce((sum, r) => sum + r.writtenBack, 0) +
    writerStats.reduce((sum, w) => sum + w.upgradedOnWrite, 0);
  expect(upgradeWrites).toBe(outdated);
}

describeSqlEngines(
  'concurrent writers, lazy readers with write-back and a sweep',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    it('loses no update and leaves every document at the latest version, upgraded exactly once', async () => {
      const { connect } = ctx();
      const db = connect({ poolSize: 16 });
      const table = `conc_${Date.now().toString(36)}`;
      await createDocumentTable(db, { table });
      await raceOnStore(createSqlDocumentStore(db, { table }), 'postgres');
      await db.destroy();
    });
  },
  { engines: ['postgres'] },
);

// On FerretDB filtered writes are not atomic: the MongoDB adapter's write claims are what this proves.
describeEngine('mongodb', 'concurrent writers, lazy readers with write-back and a sweep', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_conc', { maxPoolSize: 16 });
  it('loses no update and leaves every document at the latest version, upgraded exactly once', async () => {
    const info = await describeMongoServer(mongo.db());
    const docs = info.flavor === 'ferretdb' ? FERRETDB_DOCS : DOCS;
    await raceOnStore(createMongoDocumentStore(mongo.db().collection('conc')), info.flavor, docs);
  }, 300_000);
});
