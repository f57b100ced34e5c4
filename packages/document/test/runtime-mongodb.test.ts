import { describeEngine } from '@evolve/harness';
import { type Db, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyValidator, sweep, versioned } from '../src/runtime/index.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';

// The contract suite (runtime-contract.test.ts) covers the MongoDB adapter like every other; these tests
// cover what only the driver has: versioned() over a raw Collection, ObjectIds, aggregation, validators.
describeEngine('mongodb', 'versioned() and sweep() over a driver Collection', (status) => {
  let client: MongoClient;
  let db: Db;
  const upgrader = createUserUpgrader();
  beforeAll(async () => {
    client = new MongoClient(status.url!, { serverSelectionTimeoutMS: 3000 });
    await client.connect();
    db = client.db(`evolve_rt_mongo_${Date.now().toString(36)}`);
  });
  afterAll(async () => {
    await db?.dropDatabase().catch(() => {});
    await client?.close();
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

  it('sweeps ObjectId documents in _id order and resumes from its checkpoint', async () => {
    const raw = db.collection('sweep_oid');
    await raw.insertMany(Array.from({ length: 30 }, (_, i) => ({ name: `P${i}` })));
    const controller = new AbortController();
    const first = await sweep(raw, upgrader, {
      batchSize: 10,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(first).toMatchObject({ upgraded: 10, aborted: true });
    expect(await db.collection('evolve_sweeps').countDocuments()).toBe(1);
    const second = await sweep(raw, upgrader, { batchSize: 10 });
    expect(second).toMatchObject({ upgraded: 20, resumed: true });
    expect(await raw.countDocuments({ _v: 3, upgradedTimes: 1 })).toBe(30);
  });

  it('installs a $jsonSchema validator that rejects invalid writes', async () => {
    const raw = db.collection('validated');
    await applyValidator(raw, { $jsonSchema: { bsonType: 'object', required: ['fullName'] } });
    await expect(raw.insertOne({ other: 1 })).rejects.toThrow();
    await raw.insertOne({ fullName: 'ok' });
    await applyValidator(raw, { $jsonSchema: { bsonType: 'object', required: ['fullName', 'tags'] } });
    await expect(raw.insertOne({ fullName: 'no tags' })).rejects.toThrow();
  });
});
