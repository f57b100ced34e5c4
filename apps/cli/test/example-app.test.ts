import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { toSnapshot } from '@evolve/core';
import { createDocumentTable, createSqlDocumentStore } from '@evolve/document';
import { describeSqlEngines } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import latestHistory from '../../example/model-history/v7.ts';
import { migrations, startShop } from '../../example/src/index.ts';
import models from '../../example/src/models.ts';
import { buildTestCli, runCli } from './helpers/cli-project.ts';

const root = fileURLToPath(new URL('../../example/', import.meta.url));

describe('the example shop', () => {
  it('has at least 6 versions, and its models are the last version of its history', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(6);
    expect(toSnapshot(models).hash).toBe(toSnapshot(latestHistory).hash);
    expect(migrations.at(-1)?.to).toBe(toSnapshot(models).hash);
  });

  let cli: Awaited<ReturnType<typeof buildTestCli>>;
  beforeAll(async () => {
    cli = await buildTestCli();
  });
  afterAll(() => cli?.cleanup());

  it('passes evolve check: committed, reviewed, no TODO left, sums match', async () => {
    const run = await runCli(cli.bin, ['check', '--format', 'json'], { cwd: root });
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, exitCode: 0, findings: [] });
    expect(run.code).toBe(0);
  });

  it('runs the demo from an empty SQLite database to the latest version', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'demo.ts'],
        { cwd: root, timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toContain('version 7: 0007_event_context');
    expect(output).toContain('"firstName":"Ada","lastName":"King Lovelace"');
    expect(output).toContain('sweep: 3 upgraded');
    expect(output).toMatch(/done: every version applied/);
  });
});

describeSqlEngines('the example shop migrations', (ctx, engine) => {
  it('apply from empty to the latest version with the data moved at every step', async () => {
    const { db } = ctx();
    const first = await migrate(db, { migrations, to: '0001_init' });
    expect(first.error).toBeUndefined();
    await db
      .insertInto('customers')
      .values({ id: 1, name: 'Ada King Lovelace', email: 'ada@example.com' })
      .execute();
    await db.insertInto('orders').values({ id: 10, customerId: 1, total: 42.5, status: 'Paid' }).execute();
    const hasDocuments = engine !== 'mysql';
    if (hasDocuments) {
      await createDocumentTable(db, { table: 'events' });
      await createSqlDocumentStore(db, { table: 'events' }).insert([
        {
          _id: 'e1',
          type: 'order.placed',
          at: '2026-01-05T10:00:00Z',
          payload: { customerId: 1, note: 'hi' },
        },
      ]);
    }
    const rest = await migrate(db, { migrations });
    expect(rest.error).toBeUndefined();
    expect(
      await db.selectFrom('customers').select(['id', 'firstName', 'lastName', 'email']).execute(),
    ).toEqual([{ id: 1, firstName: 'Ada', lastName: 'King Lovelace', email: 'ada@example.com' }]);
    const orders = await db.selectFrom('orders').select(['id', 'amount', 'currency', 'status']).execute();
    expect(orders.map((o) => ({ ...o, amount: Number(o.amount) }))).toEqual([
      { id: 10, amount: 42.5, currency: 'EUR', status: 'paid' },
    ]);
    if (hasDocuments) {
      const shop = await startShop(db, { writeBack: false });
      expect(await shop.events.find({ customerId: 1 }).toArray()).toEqual([
        {
          _id: 'e1',
          _v: 7,
          type: 'order.placed',
          at: '2026-01-05T10:00:00Z',
          customerId: 1,
          payload: { message: 'hi', channel: 'web' },
        },
      ]);
    }
  });
});
