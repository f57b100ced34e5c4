import { describeEngine, describeSqlEngines } from '@evolve/harness';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  createDocumentTable,
  createMemoryDocumentStore,
  createMongoDocumentStore,
  createSqlDocumentStore,
} from '../src/runtime/index.ts';
import { documentStoreContract } from './fixtures/runtime-contract.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';

describe('memory: document store contract', () => {
  documentStoreContract(async (name) => createMemoryDocumentStore({ name }));
});

describeSqlEngines(
  'SQL JSON document store contract',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    documentStoreContract(async (table) => {
      const { db } = ctx();
      await createDocumentTable(db, { table });
      return createSqlDocumentStore(db, { table });
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);

describeEngine('mongodb', 'document store contract', (status) => {
  let client: MongoClient;
  const database = `evolve_rt_${Date.now().toString(36)}`;
  beforeAll(async () => {
    client = new MongoClient(status.url!, { serverSelectionTimeoutMS: 3000 });
    await client.connect();
  });
  afterAll(async () => {
    await client
      ?.db(database)
      .dropDatabase()
      .catch(() => {});
    await client?.close();
  });
  documentStoreContract(async (name) => createMongoDocumentStore(client.db(database).collection(name)));
});
