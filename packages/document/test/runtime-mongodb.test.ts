import { describeEngine, waitFor } from '@evolve/harness';
import { type Db, ObjectId } from 'mongodb';
import { beforeAll, expect, it } from 'vitest';
import {
  applyValidator,
  CLAIM_LEASE_MS,
  CLAIMS_COLLECTION,
  createMongoDocumentStore,
  createWriteClaims,
  describeMongoServer,
  sweep,
  versioned,
} from '../src/runtime/index.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

// The contract suite (runtime-contract.test.ts) covers the MongoDB adapter like every other; these tests
// cover what only the driver has: versioned() over a raw Collection, ObjectIds, aggregation, validators.
describeEngine('mongodb', 'versioned() and sweep() over a driver Collection', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_rt_mongo');
  let db: Db;
  const upgrader = createUserUpgrader();
  beforeAll(() => {
    db = mongo.db();
  });

  it('returns upgraded documents from find and from document-preserving aggregations, and writes them back', async () => {
    const raw = db.collection('agg');
    await raw.insertMany([
      { name: 'Ada', address: { town: 'London' } },
      { _v: 2, fullName: 'Grace' },
      { _v: 3, fullName: 'Linus', tags: [], upgradedTimes: 1 },
    ]);
    const users = versioned(raw, upgrader, { writeBack: true });
    const sorted = await users
      .aggregate([{ $match: { fullName: { $in: ['Ada', 'Grace'] } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(sorted.map((d) => [d.fullName, d._v])).toEqual([
      ['Ada', 3],
      ['Grace', 3],
    ]);
    expect(await raw.countDocuments({ _v: 3 })).toBe(3);
    expect((await raw.findOne({ fullName: 'Ada' }))?._id).toBeInstanceOf(ObjectId);
    const grouped = await users.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]).toArray();
    expect(grouped).toEqual([{ _id: null, n: 3 }]);
    const cursor = users.find({ 'address.city': 'London' });
    expect((await cursor.next())?.fullName).toBe('Ada');
  });

  it('names an aggregation stage the server does not run (FerretDB lists its stages: $sample is not one)', async (ctx) => {
    const info = await describeMongoServer(db);
    if (!info.aggregationStages) ctx.skip(`${info.flavor} ${info.version} runs every stage`);
    const users = versioned(db.collection('agg_missing'), upgrader);
    await expect(users.aggregate([{ $match: {} }, { $sample: { size: 1 } }]).toArray()).rejects.toMatchObject(
      {
        code: 'UNSUPPORTED_CHANGE',
        message: expect.stringMatching(
          /^FerretDB [\d.]+ does not run the aggregation stage\(s\) \$sample \(it runs .*\$match/,
        ),
      },
    );
  });

  it('sweeps ObjectId documents in _id order and resumes from its checkpoint', async () => {
    const raw = db.collection('sweep_oid');
    await raw.insertMany(Array.from({ length: 30 }, (_, i) => ({ name: `P${i}` })));
    const controller = new AbortController();
    const first = await sweep(raw, upgrader, {
      batchSize: 10,
      writesInFlight: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(first).toMatchObject({ upgraded: 10, aborted: true });
    expect(await db.collection('evolve_sweeps').countDocuments()).toBe(1);
    const second = await sweep(raw, upgrader, { batchSize: 10 });
    expect(second).toMatchObject({ upgraded: 20, resumed: true });
    expect(await raw.countDocuments({ _v: 3, upgradedTimes: 1 })).toBe(30);
  });

  it('writes a compare-and-set batch as one bulk write and tells which documents lost, with and without claims', async () => {
    for (const claims of [true, false]) {
      const raw = db.collection(`bulk_${claims}`);
      await raw.insertMany([1, 2, 3, 4].map((n) => ({ _id: `b${n}` as never, _v: 1, _rev: n })));
      const store = createMongoDocumentStore(raw, { claims });
      const won = await store.compareAndSet([
        { id: 'b1', expect: { _v: 1, _rev: 1 }, doc: { _v: 2, _rev: 2 } },
        { id: 'b2', expect: { _v: 1, _rev: 9 }, doc: { _v: 2, _rev: 10 } },
        { id: 'b3', expect: { _v: 1, _rev: 3 }, doc: { _v: 2, _rev: 4 } },
        { id: 'b4', expect: { _v: 2, _rev: 4 }, doc: { _v: 3, _rev: 5 } },
      ]);
      expect(won, `claims: ${claims}`).toEqual([true, false, true, false]);
      expect(await raw.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
        { _id: 'b1', _v: 2, _rev: 2 },
        { _id: 'b2', _v: 1, _rev: 2 },
        { _id: 'b3', _v: 2, _rev: 4 },
        { _id: 'b4', _v: 1, _rev: 4 },
      ]);
    }
  });

  it('write claims: a state another writer claimed is a conflict at once; a claim older than the lease is taken over', async () => {
    const raw = db.collection('claimed');
    await raw.insertOne({ _id: 'c1' as never, _v: 1, _rev: 1, n: 0 });
    const store = createMongoDocumentStore(raw, { claims: true });
    const write = { id: 'c1', expect: { _v: 1, _rev: 1 }, doc: { _v: 1, _rev: 2, n: 1 } };
    // Another writer claimed the state and has not written yet (or died before writing).
    const other = await createWriteClaims(db, 'claimed').claim([write]);
    expect(other.held).toEqual([true]);
    const started = Date.now();
    expect(await store.compareAndSet([write])).toEqual([false]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await store.update('c1', { _v: 1 }, { $inc: { n: 5 } }, { _id: 'c1', _v: 1, _rev: 1 })).toBe(
      false,
    );
    expect(await raw.findOne({ _id: 'c1' as never })).toMatchObject({ _rev: 1, n: 0 });
    // Its writer is gone: once the claim is older than the lease, the next writer takes it over.
    await db.collection(CLAIMS_COLLECTION).updateMany({}, { $set: { at: Date.now() - CLAIM_LEASE_MS - 1 } });
    expect(await store.compareAndSet([write])).toEqual([true]);
    expect(await store.update('c1', { _v: 1 }, { $inc: { n: 5, _rev: 1 } })).toBe(true);
    expect(await raw.findOne({ _id: 'c1' as never })).toMatchObject({ _rev: 3, n: 6 });
    // Finished claims are deleted in batches; the stale one stays as clutter, naming a state that is gone.
    await waitFor(
      async () => (await db.collection(CLAIMS_COLLECTION).countDocuments({ n: { $gt: 0 } })) === 0,
      {
        what: 'finished claims deleted',
      },
    );
  });

  it('installs a $jsonSchema validator that rejects invalid writes (on a server with validators: MongoDB)', async (ctx) => {
    const raw = db.collection('validated');
    const info = await describeMongoServer(db);
    if (info.flavor === 'ferretdb') ctx.skip(`${info.flavor} ${info.version} has no collection validators`);
    expect(
      await applyValidator(raw, { $jsonSchema: { bsonType: 'object', required: ['fullName'] } }),
    ).toEqual({
      applied: true,
      via: 'create',
    });
    await expect(raw.insertOne({ other: 1 })).rejects.toThrow();
    await raw.insertOne({ fullName: 'ok' });
    expect(
      await applyValidator(raw, { $jsonSchema: { bsonType: 'object', required: ['fullName', 'tags'] } }),
    ).toEqual({ applied: true, via: 'collMod' });
    await expect(raw.insertOne({ fullName: 'no tags' })).rejects.toThrow();
  });

  it('reports a validator it could not install as not applied, naming the server (FerretDB has none)', async (ctx) => {
    const info = await describeMongoServer(db);
    if (info.flavor !== 'ferretdb') ctx.skip(`${info.flavor} ${info.version} has collection validators`);
    const raw = db.collection('unvalidated');
    await raw.insertOne({ fullName: 'exists' });
    for (const target of [raw, db.collection('unvalidated_new')]) {
      const result = await applyValidator(target, {
        $jsonSchema: { bsonType: 'object', required: ['fullName'] },
      });
      expect(result).toMatchObject({
        applied: false,
        reason: 'unsupported',
        server: `FerretDB ${info.version}`,
      });
      expect(result.applied === false && result.message).toMatch(
        /^FerretDB [\d.]+ does not support collection validators: the validator of unvalidated(_new)? was not applied/,
      );
    }
    // Nothing was installed: the server accepts a document the validator would refuse.
    await raw.insertOne({ other: 1 });
    expect(await raw.countDocuments()).toBe(2);
  });
});
