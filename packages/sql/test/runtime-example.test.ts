import { fileURLToPath } from 'node:url';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { migrate, status } from '../src/runtime/index.ts';
import { settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

// The example app's generated history, compiled by the real planner (no `compile` override).
const folder = fileURLToPath(new URL('../../../apps/example/migrations', import.meta.url));

describeSqlEngines(
  'migrate: example history round trip',
  (ctx) => {
    settlePoolsAfterAll(ctx);

    const shape = async () => {
      const { db } = ctx();
      const tables = (await db.introspection.getTables()).filter((t) =>
        ['customers', 'orders'].includes(t.name),
      );
      const schema = tables
        .map(
          (t) =>
            `${t.name}(${t.columns
              .map((c) => `${c.name}${c.isNullable ? '?' : ''}`)
              .sort()
              .join(',')})`,
        )
        .sort();
      const customers = await db.selectFrom('customers').selectAll().orderBy('id').execute();
      const orders = await db.selectFrom('orders').selectAll().orderBy('id').execute();
      return {
        schema,
        customers,
        orders: orders.map((o) => ({ ...o, amount: Number(o.amount) }) as Record<string, unknown>),
      };
    };

    it('goes up to the latest version, down to the first, and up again to the same schema and data', async () => {
      const { db } = ctx();
      const first = await migrate(db, { folder, to: '0001_init' });
      expect(first.error).toBeUndefined();
      await db
        .insertInto('customers')
        .values([
          { id: 1, email: 'ada@example.com', name: 'Ada King Lovelace' },
          { id: 2, email: 'alan@example.com', name: 'Alan Turing' },
        ])
        .execute();
      await db
        .insertInto('orders')
        .values([
          { id: 1, customerId: 1, status: 'payed', total: 12.5 },
          { id: 2, customerId: 2, status: 'shipped', total: 7 },
        ])
        .execute();

      const up = await migrate(db, { folder });
      expect(up.error).toBeUndefined();
      const latest = await shape();
      expect(latest.customers).toEqual([
        { id: 1, email: 'ada@example.com', firstName: 'Ada', lastName: 'King Lovelace' },
        { id: 2, email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
      ]);
      expect(latest.orders.map((o) => [o.status, o.currency, o.amount])).toEqual([
        ['paid', 'EUR', 12.5],
        ['shipped', 'EUR', 7],
      ]);

      const refused = await migrate(db, { folder, to: '0001_init' });
      expect(refused.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
      const down = await migrate(db, { folder, to: '0001_init', acknowledgeDataLoss: true });
      expect(down.error).toBeUndefined();
      expect(down.applied.every((r) => r.direction === 'down' && r.status === 'Success')).toBe(true);
      const customers = await db.selectFrom('customers').select(['id', 'name']).orderBy('id').execute();
      expect(customers.map((c) => c.name)).toEqual(['Ada King Lovelace', 'Alan Turing']);
      expect((await status(db, { folder })).current).toBe('0001_init');

      const again = await migrate(db, { folder });
      expect(again.error).toBeUndefined();
      expect(await shape()).toEqual(latest);
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres', 'mysql'] },
);
