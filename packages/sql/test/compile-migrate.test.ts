import { diff, emptySnapshot, type Migration } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { migrate } from '../src/index.ts';
import { driftOf } from './compile-scenario.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

const v1 = snapshot(
  model('Shop', {
    id: field(t.int()),
    name: field(t.string(50)),
    tier: field(t.string(10), { nullable: true }),
    address: field(t.object({ city: field(t.string()) })),
    legacy: field(t.int(), { nullable: true }),
  }),
);
const v2 = snapshot(
  model(
    'Shop',
    {
      id: field(t.int()),
      title: field(t.string(50)),
      slug: field(t.string(60)),
      tier: field(t.string(10), { default: constant('basic') }),
      address: field(t.object({ town: field(t.string()) })),
    },
    { indexes: [{ name: 'Shop_slug_key', fields: ['slug'], unique: true }] },
  ),
);

function migrations(): Migration[] {
  const create = diff(emptySnapshot(), v1);
  const change = diff(v1, v2, {
    renames: { 'Shop.name': 'title', 'Shop.address.city': 'town' },
    drops: ['Shop.legacy'],
  });
  return [
    { id: '0001_create', ...create },
    {
      id: '0002_shape',
      ...change,
      transforms: {
        Shop: {
          slug: (old) => String(old.name).toLowerCase().replace(/\s+/g, '-'),
          tier: (old) => old.tier ?? 'basic',
        },
      },
      acknowledge: ['Shop.legacy'],
    },
  ];
}

describeSqlEngines('planner and runner together', (ctx) => {
  it('migrate() applies planned migrations: rename, backfilled required column, NOT NULL fill, JSON move, unique index, drop', async () => {
    const { db } = ctx();
    const [first, second] = migrations();
    const created = await migrate(db, { migrations: [first as Migration] });
    expect(created.error).toBeUndefined();
    await db
      .insertInto('Shop')
      .values([
        { id: 1, name: 'Corner Store', tier: null, address: JSON.stringify({ city: 'Oslo' }), legacy: 1 },
        { id: 2, name: 'Big Mall', tier: 'gold', address: JSON.stringify({ city: 'Bergen' }), legacy: null },
      ])
      .execute();
    const result = await migrate(db, { migrations: [first as Migration, second as Migration] });
    expect(result.error).toBeUndefined();
    const rows = await db.selectFrom('Shop').selectAll().orderBy('id').execute();
    expect(
      rows.map((r) => ({ ...r, address: typeof r.address === 'string' ? JSON.parse(r.address) : r.address })),
    ).toEqual([
      { id: 1, title: 'Corner Store', slug: 'corner-store', tier: 'basic', address: { town: 'Oslo' } },
      { id: 2, title: 'Big Mall', slug: 'big-mall', tier: 'gold', address: { town: 'Bergen' } },
    ]);
    expect(await driftOf(db, v2)).toEqual([]);
  });
});
