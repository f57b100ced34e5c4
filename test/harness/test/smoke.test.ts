import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEngine, describeSqlEngines, engineStatus } from '../src/index.ts';

describeSqlEngines('harness smoke', (ctx) => {
  it('reaches a fresh, empty database that can create, write and read a table', async () => {
    const { db } = ctx();
    const tables = await db.introspection.getTables();
    expect(tables).toEqual([]);
    await db.schema
      .createTable('smoke')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
    await db.insertInto('smoke').values({ id: 7 }).execute();
    const rows = await db.selectFrom('smoke').selectAll().execute();
    expect(rows).toEqual([{ id: 7 }]);
  });

  it('answers a query on a second, independent connection to the same database', async () => {
    const { connect, engine } = ctx();
    const other = connect();
    const result = await sql<{ one: number }>`select 1 as one`.execute(other);
    expect(Number(result.rows[0]?.one)).toBe(1);
    if (engine !== 'pglite') await other.destroy();
  });
});

describeEngine('mongodb', 'harness smoke', (status) => {
  it('pings the server', async () => {
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(status.url ?? '', { serverSelectionTimeoutMS: 3000 });
    await client.connect();
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    await client.close();
  });
});

it('reports sqlite and pglite as always available', () => {
  expect(engineStatus('sqlite').available).toBe(true);
  expect(engineStatus('pglite').available).toBe(true);
});
