import { describeEngine, describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  createDocumentTable,
  createMemoryDocumentStore,
  createMongoDocumentStore,
  createSqlDocumentStore,
} from '../src/runtime/index.ts';
import { documentStoreContract } from './fixtures/runtime-contract.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

describe('memory: document store contract', () => {
  documentStoreContract(async (name) => createMemoryDocumentStore({ name }));
});

describeSqlEngines(
  'SQL JSON document store contract',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    it('keeps the id in the id column and the rest of the document as JSON (jsonb on PostgreSQL)', async () => {
      const { db } = ctx();
      await createDocumentTable(db, { table: 'layout' });
      await createSqlDocumentStore(db, { table: 'layout' }).insert([{ _id: 'k', a: { b: 1 } }]);
      const { rows } = await sql<{ id: string; doc: unknown }>`select id, doc from layout`.execute(db);
      const doc = typeof rows[0]?.doc === 'string' ? JSON.parse(rows[0].doc) : rows[0]?.doc;
      expect(rows[0]?.id).toBe('k');
      expect(doc).toEqual({ a: { b: 1 } });
    });
    documentStoreContract(async (table) => {
      const { db } = ctx();
      await createDocumentTable(db, { table });
      return createSqlDocumentStore(db, { table });
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);

describeEngine('mongodb', 'document store contract', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_rt');
  documentStoreContract(async (name) => createMongoDocumentStore(mongo.db().collection(name)));
});
