import {
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Model,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import { describeEngine } from '@evolve/harness';
import { type Db, MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { z } from 'zod';
import {
  acquireMongoLock,
  createMongoDocumentStore,
  describeMongoServer,
  detectMongoIndexDrift,
  LOCKS_COLLECTION,
  migrateMongo,
  mongoDocumentStatus,
  mongoJournalStatus,
  rollbackMongo,
  sweep,
} from '../src/index.ts';
import { createUpgrader } from '../src/upgrader/index.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

const user = (shape: z.ZodRawShape, indexes: { fields: string[]; unique?: boolean }[] = []) =>
  defineModel('User', { target: 'document', table: 'users', shape, indexes });
const log = defineModel('Log', { target: 'document', table: 'logs', shape: { line: z.string() } });

/** Four versions: users and logs with indexes; a field renamed, an index dropped and one added; logs dropped. */
function history(): { migrations: Migration[]; snapshots: Snapshot[] } {
  const steps: { models: Model[]; renames?: Record<string, string>; acknowledge?: string[] }[] = [
    {
      models: [
        user({ email: z.string(), name: z.string(), team: z.string() }, [
          { fields: ['email'], unique: true },
          { fields: ['team', 'name'] },
        ]),
        log,
      ],
    },
    {
      models: [
        user({ email: z.string(), fullName: z.string(), team: z.string() }, [
          { fields: ['email'], unique: true },
          { fields: ['team'] },
        ]),
        log,
      ],
      renames: { 'User.name': 'fullName' },
    },
    {
      models: [
        user({ email: z.string(), fullName: z.string(), team: z.string() }, [
          { fields: ['email'], unique: true },
          { fields: ['team'] },
        ]),
      ],
      acknowledge: ['Log'],
    },
  ];
  let prev = emptySnapshot();
  const snapshots: Snapshot[] = [];
  const migrations = steps.map((step, i) => {
    const next = toSnapshot(defineSchema(step.models));
    const changeSet = diff(prev, next, {
      ...(step.renames ? { renames: step.renames } : {}),
      ...(i === 2 ? { drops: ['Log'] } : {}),
    });
    prev = next;
    snapshots.push(next);
    return {
      id: `000${i + 1}_${['users', 'rename', 'drop_logs'][i]}`,
      ...changeSet,
      ...(step.acknowledge ? { acknowledge: step.acknowledge } : {}),
    } satisfies Migration;
  });
  return { migrations, snapshots };
}

const indexesOf = async (db: Db, name: string) =>
  (await db.collection(name).listIndexes().toArray())
    .map((i) => `${i.name}:${Object.keys(i.key).join(',')}${i.unique ? ':unique' : ''}`)
    .sort();

describeEngine('mongodb', 'migrateMongo: journal, lease lock, collections and indexes', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_mig');
  let count = 0;
  const fresh = () => mongo.db(count++);
  const { migrations, snapshots } = history();

  it('creates the collections and the unique and compound indexes of the models, once, and records the journal', async () => {
    const db = fresh();
    const first = await migrateMongo(db, { migrations: migrations.slice(0, 1) });
    expect(first.error).toBeUndefined();
    expect(first.applied).toMatchObject([{ id: '0001_users', status: 'Success', direction: 'up' }]);
    expect(first.applied[0]?.steps).toEqual([
      'create collection logs (Log)',
      'create collection users (User)',
      'create unique index users_email_key (email) on users',
      'create index users_team_name_idx (team, name) on users',
    ]);
    expect(await indexesOf(db, 'users')).toEqual(
      ['users_email_key:email:unique', 'users_team_name_idx:team,name', '_id_:_id'].sort(),
    );
    await db.collection('users').insertOne({ email: 'a@x', name: 'A', team: 't' });
    await expect(
      db.collection('users').insertOne({ email: 'a@x', name: 'B', team: 't' }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    const again = await migrateMongo(db, { migrations: migrations.slice(0, 1) });
    expect(again).toMatchObject({ applied: [] });
    expect(again.error).toBeUndefined();
    expect(await mongoJournalStatus(db, migrations)).toMatchObject({
      applied: [{ id: '0001_users' }],
      pending: ['0002_rename', '0003_drop_logs'],
      modified: [],
    });
  });

  it('drops an index the model dropped and creates the new one; refuses to drop a collection unless acknowledged', async () => {
    const db = fresh();
    const unacknowledged = migrations.map((m, i) => (i === 2 ? { ...m, acknowledge: [] } : m));
    const result = await migrateMongo(db, { migrations: unacknowledged });
    expect(result.applied.map((a) => [a.id, a.status])).toEqual([
      ['0001_users', 'Success'],
      ['0002_rename', 'Success'],
      ['0003_drop_logs', 'Error'],
    ]);
    expect(result.applied[1]?.steps).toEqual([
      'drop index users_team_name_idx (team, name) on users',
      'create index users_team_idx (team) on users',
    ]);
    expect(result.error).toMatchObject({ code: 'UNACKNOWLEDGED_CHANGE', path: 'Log' });
    expect((await db.listCollections({ name: 'logs' }).toArray()).length).toBe(1);
    const acknowledged = await migrateMongo(db, { migrations });
    expect(acknowledged.applied).toMatchObject([{ id: '0003_drop_logs', status: 'Success' }]);
    expect((await db.listCollections({ name: 'logs' }).toArray()).length).toBe(0);
    expect(await indexesOf(db, 'users')).toEqual(
      ['users_email_key:email:unique', 'users_team_idx:team', '_id_:_id'].sort(),
    );
  });

  it('installs $jsonSchema validators where the server has them, and says so where it does not', async () => {
    const db = fresh();
    const info = await describeMongoServer(db);
    const result = await migrateMongo(db, { migrations: migrations.slice(0, 2) });
    expect(result.error).toBeUndefined();
    const [users] = await db.listCollections({ name: 'users' }).toArray();
    if (info.flavor === 'ferretdb') {
      // FerretDB 1.x has no collection validators: nothing installed, one warning naming the server
      expect(result.warnings).toEqual([
        {
          code: 'VALIDATORS_UNSUPPORTED',
          path: 'logs',
          message: expect.stringMatching(/^FerretDB [\d.]+ does not support collection validators/),
        },
      ]);
      expect((users as { options?: { validator?: unknown } }).options?.validator).toBeUndefined();
    } else {
      expect(result.warnings).toEqual([]);
      const validator = (
        users as unknown as { options: { validator: { $jsonSchema: { anyOf: unknown[] } } } }
      ).options.validator;
      expect(validator.$jsonSchema.anyOf).toHaveLength(2);
      await expect(db.collection('users').insertOne({ email: 'only' })).rejects.toThrow();
      await db.collection('users').insertOne({ email: 'v1', name: 'N', team: 't' });
      await db.collection('users').insertOne({ _v: 2, email: 'v2', fullName: 'N', team: 't' });
    }
  });

  it('refuses a migration whose checksum changed after it was applied, and a database ahead of the code', async () => {
    const db = fresh();
    expect((await migrateMongo(db, { migrations: migrations.slice(0, 2) })).error).toBeUndefined();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, acknowledge: ['User'] } : m));
    expect((await migrateMongo(db, { migrations: edited })).error).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      path: '0001_users',
    });
    expect((await migrateMongo(db, { migrations: migrations.slice(0, 1) })).error).toMatchObject({
      code: 'DATABASE_AHEAD',
    });
  });

  it('lets one of 10 instances starting at once apply each migration while the others wait and find nothing to do', async () => {
    const db = fresh();
    const clients = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const c = new MongoClient(status.url!, { serverSelectionTimeoutMS: 3000, maxPoolSize: 2 });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.all(
        clients.map((c) => migrateMongo(c.db(db.databaseName), { migrations, lockTimeoutMs: 60_000 })),
      );
      expect(results.map((r) => r.error)).toEqual(results.map(() => undefined));
      const applied = results.flatMap((r) =>
        r.applied.filter((a) => a.status === 'Success').map((a) => a.id),
      );
      expect(applied.sort()).toEqual(['0001_users', '0002_rename', '0003_drop_logs']);
      expect((await mongoJournalStatus(db, migrations)).pending).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('takes over the lock of an instance that died holding it, once its lease ran out', async () => {
    const db = fresh();
    const locks = db.collection<Record<string, unknown> & { _id: string }>(LOCKS_COLLECTION);
    // an instance took the lock and died: its lease is never renewed. While it is valid (a minute: no load
    // on a CI machine makes the first attempt outlive it) a short wait times out
    await locks.insertOne({
      _id: 'migrate#0',
      name: 'migrate',
      n: 0,
      owner: 'dead',
      at: new Date(),
      expiresAt: Date.now() + 60_000,
      released: false,
    });
    await expect(acquireMongoLock(db, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    // the dead lease now runs out in one second: the next instance takes over then, not before
    const expiresAt = Date.now() + 1000;
    await locks.updateOne({ _id: 'migrate#0' }, { $set: { expiresAt } });
    const next = await acquireMongoLock(db, { timeoutMs: 10_000 });
    expect(Date.now()).toBeGreaterThan(expiresAt);
    await next.release();
    const after = await acquireMongoLock(db, { timeoutMs: 1000 });
    await after.release();
  });

  it('reverts the newest migration: the index back, and a created collection dropped only when acknowledged', async () => {
    const db = fresh();
    await migrateMongo(db, { migrations: migrations.slice(0, 2) });
    const down = await rollbackMongo(db, { migrations: migrations.slice(0, 2) });
    expect(down.error).toBeUndefined();
    expect(down.applied).toMatchObject([{ id: '0002_rename', direction: 'down', status: 'Success' }]);
    expect(await indexesOf(db, 'users')).toEqual(
      ['users_email_key:email:unique', 'users_team_name_idx:team,name', '_id_:_id'].sort(),
    );
    const all = await rollbackMongo(db, { migrations: migrations.slice(0, 2), to: '0' });
    expect(all.error).toMatchObject({ code: 'UNACKNOWLEDGED_CHANGE' });
    expect(
      (await rollbackMongo(db, { migrations: migrations.slice(0, 2), to: '0', acknowledgeDataLoss: true }))
        .error,
    ).toBeUndefined();
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()).toEqual(
      ['evolve_locks', 'evolve_migrations'].sort(),
    );
    expect((await mongoJournalStatus(db, migrations)).applied).toEqual([]);
  });

  it('reports how many documents sit at each version, and sweep checkpoints', async () => {
    const db = fresh();
    const two = migrations.slice(0, 2);
    await migrateMongo(db, { migrations: two });
    const users = db.collection('users');
    await users.insertMany([
      ...Array.from({ length: 5 }, (_, i) => ({ email: `a${i}`, name: 'N', team: 't' })),
      { _v: 1, email: 'b', name: 'N', team: 't' },
      ...Array.from({ length: 3 }, (_, i) => ({ _v: 2, email: `c${i}`, fullName: 'N', team: 't' })),
      { _v: 9, email: 'future', fullName: 'N', team: 't' },
    ]);
    const controller = new AbortController();
    const upgrader = createUpgrader({ model: 'User', migrations: two });
    await sweep(createMongoDocumentStore(users), upgrader, {
      batchSize: 2,
      writesInFlight: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const status = (await mongoDocumentStatus(db, { migrations: two })).find((m) => m.model === 'User');
    expect(status).toMatchObject({
      model: 'User',
      collection: 'users',
      latestVersion: 2,
      total: 10,
      versions: [
        { version: 1, count: 4, unversioned: 3 },
        { version: 2, count: 5 },
      ],
      unknown: [{ value: 9, count: 1 }],
      checkpoints: [{ key: 'users:User@2', scanned: 2, upgraded: 2 }],
    });
  });

  it('reports index drift: missing, different, unexpected indexes and missing collections', async () => {
    const db = fresh();
    await migrateMongo(db, { migrations: migrations.slice(0, 2) });
    expect(await detectMongoIndexDrift(db, snapshots[1] as Snapshot)).toEqual([]);
    await db.collection('users').dropIndex('users_team_idx');
    await db.collection('users').dropIndex('users_email_key');
    await db.collection('users').createIndex({ email: 1 }, { name: 'users_email_key' });
    await db.collection('users').createIndex({ fullName: 1 }, { name: 'by_name' });
    await db.collection('logs').drop();
    expect((await detectMongoIndexDrift(db, snapshots[1] as Snapshot)).map((d) => d.message)).toEqual([
      'collection logs (Log) does not exist',
      'users: index users_email_key is (email), expected unique (email)',
      'users: index users_team_idx (team) is missing',
      'users: index by_name (fullName) is not in the models',
    ]);
  });
});
