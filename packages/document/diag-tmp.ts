import { MongoClient } from 'mongodb';
import { createMongoDocumentStore, versioned } from './src/runtime/index.ts';
import { createUserUpgrader } from './test/fixtures/runtime-user-history.ts';
const c = new MongoClient('mongodb://127.0.0.1:27999/', { maxPoolSize: 16 });
await c.connect();
const db = c.db('diag' + Date.now());
const col = db.collection('c');
await col.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `c${i}` as any, _v: 3, fullName: 'x', tags: [], upgradedTimes: 1, _rev: 1 })));
const store = createMongoDocumentStore(col);
const up = createUserUpgrader();
const errors: string[] = [];
const t = Date.now();
const apps: any[] = [];
await Promise.all(Array.from({ length: 8 }, async (_, w) => {
  const app = versioned(store, up); apps.push(app);
  for (let i = 0; i < 100; i++) {
    try { await app.updateOne({ _id: `c${(i * 3 + w) % 20}` }, { $inc: { [`w${w}`]: 1 } }); } catch (e) { errors.push((e as Error).message); }
  }
}));
console.log('800 updates in', Date.now() - t, 'ms; errors', errors.length, errors.slice(0, 3));
console.log(apps.map((a) => a.stats.conflicts));
const docs = await col.find({}).toArray();
console.log('sum', docs.reduce((s, d) => s + Object.keys(d).filter((k) => /^w\d$/.test(k)).reduce((a, k) => a + d[k], 0), 0));
console.log('claims left', await db.collection('evolve_claims').countDocuments());
await db.dropDatabase();
await c.close();
