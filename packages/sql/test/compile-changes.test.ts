import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { driftOf, runScenario } from './compile-scenario.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

const num = (v: unknown) => Number(v);

describeSqlEngines('compiled change kinds', (ctx) => {
  it('adds a required column without a constant default as add nullable -> backfill -> set not null, leaving every row filled', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(model('AddUser', { id: field(t.int()), name: field(t.string(100)) }));
    const after = snapshot(
      model('AddUser', {
        id: field(t.int()),
        name: field(t.string(100)),
        email: field(t.string(200)),
        nickname: field(t.string(50), { optional: true }),
        score: field(t.int(), { default: constant(7) }),
      }),
    );
    const { up, runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: {
        AddUser: [
          { id: 1, name: 'ada' },
          { id: 2, name: 'bob' },
        ],
      },
      transforms: { AddUser: { email: (old) => `${old.name}@example.com` } },
      down: true,
    });
    const descriptions = up.map((s) => s.description).join('\n');
    expect(descriptions).toMatch(/add column AddUser\.email .*nullable/);
    expect(up.some((s) => s.backfill?.set.email)).toBe(true);
    const rows = await db.selectFrom('AddUser').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.email, r.nickname, num(r.score)])).toEqual([
      ['ada@example.com', null, 7],
      ['bob@example.com', null, 7],
    ]);
    await expect(
      db.insertInto('AddUser').values({ id: 3, name: 'x', email: null }).execute(),
    ).rejects.toThrow();
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('renames and drops columns, keeping the renamed data', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('RenUser', {
        id: field(t.int()),
        name: field(t.string(100)),
        legacy: field(t.int(), { nullable: true }),
      }),
    );
    const after = snapshot(model('RenUser', { id: field(t.int()), fullName: field(t.string(100)) }));
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      renames: { 'RenUser.name': 'fullName' },
      rows: { RenUser: [{ id: 1, name: 'ada', legacy: 3 }] },
      down: true,
    });
    expect(await db.selectFrom('RenUser').selectAll().execute()).toEqual([{ id: 1, fullName: 'ada' }]);
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
    expect(await db.selectFrom('RenUser').select(['id', 'name']).execute()).toEqual([{ id: 1, name: 'ada' }]);
  });

  it('changes column types: widening in place, a converting transform through a replacement column', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model(
        'TypeUser',
        {
          id: field(t.int()),
          label: field(t.string(20)),
          count: field(t.int()),
          code: field(t.string(10)),
        },
        { indexes: [{ name: 'TypeUser_code_key', fields: ['code'], unique: true }] },
      ),
    );
    const after = snapshot(
      model(
        'TypeUser',
        {
          id: field(t.int()),
          label: field(t.string(200)),
          count: field(t.bigint()),
          code: field(t.int()),
        },
        { indexes: [{ name: 'TypeUser_code_key', fields: ['code'], unique: true }] },
      ),
    );
    const { up } = await runScenario(db, dialect, {
      before,
      after,
      rows: { TypeUser: [{ id: 1, label: 'abc', count: 5, code: 'n-42' }] },
      transforms: { TypeUser: { code: (old) => Number(String(old.code).slice(2)) } },
    });
    const widening = up.find((s) => s.description.includes('label'));
    // SQLite stores string(50) and string(200) alike (text, no length enforced): nothing to run there
    if (dialect === 'sqlite') expect(widening).toBeUndefined();
    else expect(widening?.description).toBeDefined();
    const [row] = await db.selectFrom('TypeUser').selectAll().execute();
    expect([row?.label, num(row?.count), num(row?.code)]).toEqual(['abc', 5, 42]);
  });

  it('fills nulls from the new default before NOT NULL, and drops NOT NULL', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('NullUser', {
        id: field(t.int()),
        nick: field(t.string(20), { nullable: true }),
        bio: field(t.string(20)),
      }),
    );
    const after = snapshot(
      model('NullUser', {
        id: field(t.int()),
        nick: field(t.string(20), { default: constant('anon') }),
        bio: field(t.string(20), { nullable: true }),
      }),
    );
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: {
        NullUser: [
          { id: 1, nick: null, bio: 'x' },
          { id: 2, nick: 'bo', bio: 'y' },
        ],
      },
      down: true,
    });
    const rows = await db.selectFrom('NullUser').select(['id', 'nick']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, nick: 'anon' },
      { id: 2, nick: 'bo' },
    ]);
    await db.insertInto('NullUser').values({ id: 3, bio: null }).execute();
    await db.deleteFrom('NullUser').where('id', '=', 3).execute();
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('sets and drops column defaults', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('DefUser', {
        id: field(t.int()),
        role: field(t.string(20), { default: constant('a') }),
        n: field(t.int(), { default: constant(1) }),
      }),
    );
    const after = snapshot(
      model('DefUser', {
        id: field(t.int()),
        role: field(t.string(20), { default: constant('b') }),
        n: field(t.int(), { nullable: true }),
      }),
    );
    const { runDown } = await runScenario(db, dialect, { before, after, down: true });
    await db.insertInto('DefUser').values({ id: 1 }).execute();
    expect(await db.selectFrom('DefUser').select(['role', 'n']).execute()).toEqual([{ role: 'b', n: null }]);
    await db.deleteFrom('DefUser').execute();
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('creates and drops indexes and unique indexes on a populated table', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model(
        'IdxUser',
        { id: field(t.int()), email: field(t.string(100)), city: field(t.string(50)) },
        {
          indexes: [{ name: 'IdxUser_city_idx', fields: ['city'], unique: false }],
        },
      ),
    );
    const after = snapshot(
      model(
        'IdxUser',
        { id: field(t.int()), email: field(t.string(100)), city: field(t.string(50)) },
        {
          indexes: [{ name: 'IdxUser_email_key', fields: ['email'], unique: true }],
        },
      ),
    );
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: {
        IdxUser: [
          { id: 1, email: 'a', city: 'x' },
          { id: 2, email: 'b', city: 'x' },
        ],
      },
      down: true,
    });
    await expect(
      db.insertInto('IdxUser').values({ id: 3, email: 'a', city: 'y' }).execute(),
    ).rejects.toThrow();
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('adds a foreign key to populated tables (validated), then rejects orphans; drops it on the way down', async () => {
    const { db, dialect } = ctx();
    const author = model('FkAuthor', { id: field(t.int()) });
    const before = snapshot(author, model('FkPost', { id: field(t.int()), authorId: field(t.int()) }));
    const after = snapshot(
      author,
      model(
        'FkPost',
        { id: field(t.int()), authorId: field(t.int()) },
        {
          foreignKeys: [
            {
              name: 'FkPost_authorId_fkey',
              fields: ['authorId'],
              references: { model: 'FkAuthor', fields: ['id'] },
              onDelete: 'cascade',
            },
          ],
        },
      ),
    );
    const { up, runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: { FkAuthor: [{ id: 1 }], FkPost: [{ id: 1, authorId: 1 }] },
      down: true,
    });
    if (dialect === 'postgres') {
      expect(up.map((s) => [s.description, s.transactional])).toContainEqual([
        'validate foreign key FkPost_authorId_fkey (scans FkPost without blocking writes)',
        false,
      ]);
    }
    await expect(db.insertInto('FkPost').values({ id: 2, authorId: 99 }).execute()).rejects.toThrow();
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
    await db.insertInto('FkPost').values({ id: 2, authorId: 99 }).execute();
  });

  it('changes the primary key', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(model('PkItem', { id: field(t.int()), sku: field(t.string(20)) }));
    const after = snapshot(
      model('PkItem', { id: field(t.int()), sku: field(t.string(20)) }, { primaryKey: ['sku'] }),
    );
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: { PkItem: [{ id: 1, sku: 'a' }] },
      down: true,
    });
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('renames a model with its table and drops another model', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('Client', { id: field(t.int()), name: field(t.string(20)) }),
      model('Gone', { id: field(t.int()) }),
    );
    const after = snapshot(model('Customer', { id: field(t.int()), name: field(t.string(20)) }));
    const { up, runDown } = await runScenario(db, dialect, {
      before,
      after,
      renames: { Client: 'Customer' },
      rows: { Client: [{ id: 1, name: 'ada' }] },
      down: true,
    });
    expect(up.some((s) => s.destructive && s.description.startsWith('drop table Gone'))).toBe(true);
    expect(await db.selectFrom('Customer').selectAll().execute()).toEqual([{ id: 1, name: 'ada' }]);
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('changes inside a JSON column need no DDL and backfill only with a transform', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('JsonUser', {
        id: field(t.int()),
        address: field(t.object({ city: field(t.string()) })),
        tags: field(t.array(field(t.string()))),
      }),
    );
    const after = snapshot(
      model('JsonUser', {
        id: field(t.int()),
        address: field(t.object({ town: field(t.string()) })),
        tags: field(t.array(field(t.string())), { nullable: false }),
      }),
    );
    const { up } = await runScenario(db, dialect, {
      before,
      after,
      renames: { 'JsonUser.address.city': 'town' },
      rows: { JsonUser: [{ id: 1, address: JSON.stringify({ city: 'Oslo' }), tags: '[]' }] },
      transforms: { JsonUser: { 'address.town': (old) => (old.address as { city: string }).city } },
    });
    // no DDL: the backfill, and the change log that carries the old code's writes of the column
    expect(up.filter((s) => s.backfill)).toHaveLength(1);
    expect(up.every((s) => s.backfill || s.catchUp || s.description.startsWith('log writes'))).toBe(true);
    expect(up.find((s) => s.backfill)?.backfill?.set.address).toEqual({
      transform: { model: 'JsonUser', field: 'address.town', path: ['town'] },
    });
    const [row] = await db.selectFrom('JsonUser').select('address').execute();
    const address = typeof row?.address === 'string' ? JSON.parse(row.address) : row?.address;
    expect(address).toMatchObject({ town: 'Oslo' });
  });

  it('adding an enum value widens its CHECK without a table copy (but on SQLite); down, without a transform to rewrite the rows holding it, keeps it allowed', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(model('EnumUser', { id: field(t.int()), role: field(t.enum('a', 'b')) }));
    const after = snapshot(model('EnumUser', { id: field(t.int()), role: field(t.enum('a', 'b', 'c')) }));
    const { up, runDown } = await runScenario(db, dialect, {
      before,
      after,
      rows: { EnumUser: [{ id: 1, role: 'a' }] },
      down: true,
    });
    expect(up.some((s) => s.rewritesTable)).toBe(dialect === 'sqlite');
    expect(up.some((s) => s.destructive)).toBe(false);
    await db.insertInto('EnumUser').values({ id: 2, role: 'c' }).execute();
    await expect(db.insertInto('EnumUser').values({ id: 3, role: 'z' }).execute()).rejects.toThrow();
    await runDown();
    expect(await db.selectFrom('EnumUser').select('role').where('id', '=', 2).executeTakeFirst()).toEqual({
      role: 'c',
    });
    await db.insertInto('EnumUser').values({ id: 4, role: 'c' }).execute();
    await expect(db.insertInto('EnumUser').values({ id: 5, role: 'z' }).execute()).rejects.toThrow();
  });

  it('rebuilding a parent table never deletes its ON DELETE CASCADE children', async () => {
    const { db, dialect } = ctx();
    const parent = (required: boolean) =>
      model('CParent', {
        id: field(t.int()),
        name: field(t.string(20), required ? { default: constant('n/a') } : { nullable: true }),
      });
    const child = model(
      'CChild',
      { id: field(t.int()), parentId: field(t.int()) },
      {
        foreignKeys: [
          {
            name: 'CChild_parentId_fkey',
            fields: ['parentId'],
            references: { model: 'CParent', fields: ['id'] },
            onDelete: 'cascade',
          },
        ],
      },
    );
    const before = snapshot(parent(false), child);
    const after = snapshot(parent(true), child);
    const { up } = await runScenario(db, dialect, {
      before,
      after,
      rows: {
        CParent: [
          { id: 1, name: null },
          { id: 2, name: 'b' },
        ],
        CChild: [
          { id: 1, parentId: 1 },
          { id: 2, parentId: 2 },
          { id: 3, parentId: 2 },
        ],
      },
    });
    if (dialect === 'sqlite') {
      const rebuilds = up.filter((s) => s.description.startsWith('rebuild table CParent'));
      expect(rebuilds.length).toBeGreaterThan(0);
      for (const rebuild of rebuilds) {
        const i = up.indexOf(rebuild);
        expect([up[i - 1]?.description, up[i - 1]?.transactional]).toEqual([
          'foreign keys off for the rebuild of CParent',
          false,
        ]);
        expect([up[i + 1]?.description, up[i + 1]?.transactional]).toEqual(['foreign keys back on', false]);
        expect(rebuild.verify?.[0]?.sql).toBe(`select * from pragma_foreign_key_check('CParent')`);
      }
    }
    expect((await db.selectFrom('CChild').selectAll().execute()).length).toBe(3);
    expect(await db.selectFrom('CParent').select(['id', 'name']).orderBy('id').execute()).toEqual([
      { id: 1, name: 'n/a' },
      { id: 2, name: 'b' },
    ]);
    // the cascade itself still works after the rebuild
    if (dialect === 'sqlite') await sql`pragma foreign_keys = on`.execute(db);
    await db.deleteFrom('CParent').where('id', '=', 2).execute();
    expect((await db.selectFrom('CChild').selectAll().execute()).length).toBe(1);
  });

  it('hoists a value out of a JSON column, renames a column by metadata, changes its sqlType, and makes an optional field required', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('HoistUser', {
        id: field(t.int()),
        address: field(t.object({ city: field(t.string()), zip: field(t.string()) })),
        n: field(t.int(), { optional: true }),
        nm: field(t.string(), { column: 'old_nm' }),
      }),
    );
    const after = snapshot(
      model('HoistUser', {
        id: field(t.int()),
        city: field(t.string(40)),
        address: field(t.object({ zip: field(t.string()) })),
        n: field(t.int()),
        nm: field(t.string(), { column: 'new_nm', sqlType: 'varchar(40)' }),
      }),
    );
    const { runDown } = await runScenario(db, dialect, {
      before,
      after,
      renames: { 'HoistUser.address.city': 'city' },
      rows: {
        HoistUser: [
          { id: 1, address: JSON.stringify({ city: 'Oslo', zip: '0150' }), n: null, old_nm: 'ada' },
        ],
      },
      // the city moves with the database's JSON functions (moveJson), both up and down
      transforms: { HoistUser: { n: (old) => old.n ?? 0 } },
      down: true,
    });
    expect(await db.selectFrom('HoistUser').select(['city', 'n', 'new_nm']).execute()).toEqual([
      { city: 'Oslo', n: 0, new_nm: 'ada' },
    ]);
    await runDown();
    expect(await driftOf(db, before, after)).toEqual([]);
  });

  it('moves a renamed key inside a JSON column with the database JSON functions when no transform is given', async () => {
    const { db, dialect } = ctx();
    const before = snapshot(
      model('MoveUser', {
        id: field(t.int()),
        address: field(t.object({ city: field(t.string()), zip: field(t.int()) })),
      }),
    );
    const after = snapshot(
      model('MoveUser', {
        id: field(t.int()),
        address: field(t.object({ town: field(t.string()), zip: field(t.int()) })),
      }),
    );
    const { up, runDown } = await runScenario(db, dialect, {
      before,
      after,
      renames: { 'MoveUser.address.city': 'town' },
      rows: {
        MoveUser: [
          { id: 1, address: JSON.stringify({ city: "O'slo", zip: 150 }) },
          { id: 2, address: JSON.stringify({ zip: 7 }) },
        ],
      },
      down: true,
    });
    expect(up.filter((s) => s.backfill)).toHaveLength(1);
    expect(up.every((s) => s.backfill || s.catchUp || s.description.startsWith('log writes'))).toBe(true);
    expect(up.find((s) => s.backfill)?.backfill?.set.address).toHaveProperty('expression');
    const read = async () =>
      (await db.selectFrom('MoveUser').select('address').orderBy('id').execute()).map((r) =>
        typeof r.address === 'string' ? JSON.parse(r.address) : r.address,
      );
    expect(await read()).toEqual([{ town: "O'slo", zip: 150 }, { zip: 7 }]);
    await runDown();
    expect(await read()).toEqual([{ city: "O'slo", zip: 150 }, { zip: 7 }]);
  });
});
