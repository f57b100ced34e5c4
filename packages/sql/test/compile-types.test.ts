import { diff, emptySnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { mysqlColumnType, planSqlMigration, postgresColumnType, sqliteColumnType } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { driftOf } from './compile-scenario.ts';
import { field, model, snapshot, t } from './plan-fixtures.ts';

const types = {
  text: t.string(),
  short: t.string(30),
  id: t.uuid(),
  count: t.int(),
  ratio: t.float(),
  big: t.bigint(),
  flag: t.bool(),
  at: t.date(),
  role: t.enum('a', 'b'),
  kind: { kind: 'literal', value: 'fixed' },
  data: t.json(),
  address: t.object({ city: field(t.string()) }),
  tags: t.array(field(t.string())),
} as const;

it('maps every model type to each dialect, and sqlType overrides the mapping', () => {
  const map = (fn: (s: { type: never; sqlType?: string }) => string) =>
    Object.fromEntries(Object.entries(types).map(([k, type]) => [k, fn({ type: type as never })]));
  expect(map(postgresColumnType)).toEqual({
    text: 'text',
    short: 'varchar(30)',
    id: 'uuid',
    count: 'integer',
    ratio: 'double precision',
    big: 'bigint',
    flag: 'boolean',
    at: 'timestamptz',
    role: 'text',
    kind: 'text',
    data: 'jsonb',
    address: 'jsonb',
    tags: 'jsonb',
  });
  expect(map(mysqlColumnType)).toEqual({
    text: 'varchar(255)',
    short: 'varchar(30)',
    id: 'char(36)',
    count: 'int',
    ratio: 'double',
    big: 'bigint',
    flag: 'boolean',
    at: 'datetime(3)',
    role: 'varchar(255)',
    kind: 'varchar(255)',
    data: 'json',
    address: 'json',
    tags: 'json',
  });
  expect(map(sqliteColumnType)).toEqual({
    text: 'text',
    short: 'text',
    id: 'text',
    count: 'integer',
    ratio: 'real',
    big: 'integer',
    flag: 'integer',
    at: 'text',
    role: 'text',
    kind: 'text',
    data: 'text',
    address: 'text',
    tags: 'text',
  });
  expect(postgresColumnType({ type: t.string(), sqlType: 'citext' })).toBe('citext');
  expect(mysqlColumnType({ type: t.string(), sqlType: 'text' })).toBe('text');
});

describeSqlEngines('type mapping', (ctx) => {
  it('stores and reads back a value of every model type', async () => {
    const { db, dialect } = ctx();
    const snap = snapshot(
      model(
        'Typed',
        Object.fromEntries([
          ['pk', field(t.int())],
          ...Object.entries(types).map(([k, type]) => [k, field(type as never)]),
        ]),
        {
          primaryKey: ['pk'],
        },
      ),
    );
    await runCompiled(db, planSqlMigration(diff(emptySnapshot(), snap), { dialect }));
    expect(await driftOf(db, snap)).toEqual([]);
    const at = new Date('2024-05-06T07:08:09.123Z');
    const value = {
      pk: 1,
      text: 'héllo \'"; world',
      short: 'short',
      id: '6f1c1d52-4c5e-4b8e-9d0a-2f0b3c4d5e6f',
      count: -42,
      ratio: 1.25,
      big: '4294967296123', // beyond int32; above 2^53 depends on the driver's bigint settings
      flag: dialect === 'sqlite' ? 1 : true,
      at: dialect === 'sqlite' ? at.toISOString() : at,
      role: 'b',
      kind: 'fixed',
      data: JSON.stringify({ any: [1, { x: null }] }),
      address: JSON.stringify({ city: 'Oslo' }),
      tags: JSON.stringify(['a', 'b']),
    };
    await db.insertInto('Typed').values(value).execute();
    const [row] = await db.selectFrom('Typed').selectAll().execute();
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect({
      ...row,
      big: String(row?.big),
      flag: Boolean(row?.flag),
      at: new Date(row?.at).toISOString(),
      data: json(row?.data),
      address: json(row?.address),
      tags: json(row?.tags),
    }).toEqual({
      ...value,
      flag: true,
      at: at.toISOString(),
      data: { any: [1, { x: null }] },
      address: { city: 'Oslo' },
      tags: ['a', 'b'],
    });
  });
});
