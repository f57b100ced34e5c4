import { diff, emptySnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { detectDrift, planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

const schema = (prefix: string) =>
  snapshot(
    model(
      `${prefix}User`,
      {
        id: field(t.uuid()),
        email: field(t.string(120)),
        name: field(t.string(), { nullable: true }),
        age: field(t.int(), { default: constant(18) }),
        active: field(t.bool(), { default: constant(false) }),
        rating: field(t.float(), { optional: true }),
        visits: field(t.bigint(), { default: constant('0') }),
        joined: field(t.date(), { default: constant('2024-02-03T04:05:06.007Z') }),
        role: field(t.enum('admin', 'member'), { default: constant('member') }),
        prefs: field(t.object({ theme: field(t.string()) }), { default: constant({ theme: 'dark' }) }),
        tags: field(t.array(field(t.string())), { nullable: true }),
        code: field(t.string(), { sqlType: 'char(8)', nullable: true }),
      },
      { indexes: [{ name: `${prefix}User_email_key`, fields: ['email'], unique: true }] },
    ),
    model(
      `${prefix}Post`,
      { id: field(t.int()), authorId: field(t.uuid()) },
      {
        indexes: [{ name: `${prefix}Post_authorId_idx`, fields: ['authorId'], unique: false }],
        foreignKeys: [
          {
            name: `${prefix}Post_authorId_fkey`,
            fields: ['authorId'],
            references: { model: `${prefix}User`, fields: ['id'] },
            onDelete: 'cascade',
          },
        ],
      },
    ),
    model(`${prefix}Doc`, { _id: field(t.string()) }, { target: 'document', primaryKey: ['_id'] }),
  );

async function create(
  db: Parameters<typeof detectDrift>[0],
  dialect: 'postgres' | 'mysql' | 'sqlite',
  prefix: string,
) {
  const snap = schema(prefix);
  await runCompiled(db, planSqlMigration(diff(emptySnapshot(), snap), { dialect }));
  const own = (name: string) => !name.startsWith(prefix);
  return { snap, drift: () => detectDrift(db, snap, { ignoreTables: own }) };
}

describeSqlEngines('drift', (ctx) => {
  it('finds no drift right after creating the schema from the snapshot (document models and evolve_ tables ignored)', async () => {
    const { db, dialect } = ctx();
    const { drift } = await create(db, dialect, 'd1_');
    await sql`create table evolve_journal_test (id integer)`.execute(db);
    await sql`create table ${sql.table('d1_Doc')} (id integer)`.execute(db);
    expect(await drift()).toEqual([]);
  });

  it('reports a column altered by hand, a missing index and a changed default', async () => {
    const { db, dialect } = ctx();
    const { drift } = await create(db, dialect, 'd2_');
    if (dialect === 'sqlite') {
      await sql`drop index ${sql.id('d2_User_email_key')}`.execute(db);
      await sql`alter table ${sql.table('d2_User')} add column extra text`.execute(db);
    } else if (dialect === 'mysql') {
      await sql`alter table ${sql.table('d2_User')} drop index ${sql.id('d2_User_email_key')}`.execute(db);
      await sql`alter table ${sql.table('d2_User')} modify column name varchar(10) not null`.execute(db);
      await sql`alter table ${sql.table('d2_User')} alter column age set default 21`.execute(db);
    } else {
      await sql`drop index ${sql.id('d2_User_email_key')}`.execute(db);
      await sql`alter table ${sql.table('d2_User')} alter column name type varchar(10), alter column name set not null`.execute(
        db,
      );
      await sql`alter table ${sql.table('d2_User')} alter column age set default 21`.execute(db);
    }
    const found = await drift();
    const kinds = found.map((d) => `${d.kind} ${d.table}${d.column ? `.${d.column}` : ''}`).sort();
    if (dialect === 'sqlite') {
      expect(kinds).toEqual(['extraColumn d2_User.extra', 'missingIndex d2_User']);
    } else {
      expect(kinds).toEqual([
        'columnType d2_User.name',
        'default d2_User.age',
        'missingIndex d2_User',
        'nullability d2_User.name',
      ]);
      const message = found.find((d) => d.kind === 'default')?.message ?? '';
      expect(message).toMatch(/d2_User\.age has default .*21.*, expected 18/);
    }
  });

  it('reports missing tables, extra tables and a dropped foreign key', async () => {
    const { db, dialect } = ctx();
    const { snap } = await create(db, dialect, 'd3_');
    if (dialect !== 'sqlite') {
      const drop = dialect === 'mysql' ? sql`drop foreign key` : sql`drop constraint`;
      await sql`alter table ${sql.table('d3_Post')} ${drop} ${sql.id('d3_Post_authorId_fkey')}`.execute(db);
    }
    await sql`create table d3_stray (id integer)`.execute(db);
    const other = snapshot(...Object.values(snap.models), model('d3_Missing', { id: field(t.int()) }));
    const found = await detectDrift(db, other, { ignoreTables: (n) => !n.startsWith('d3_') });
    const kinds = found.map((d) => `${d.kind} ${d.table}`).sort();
    expect(kinds).toEqual(
      [
        ...(dialect === 'sqlite' ? [] : ['missingForeignKey d3_Post']),
        'extraTable d3_stray',
        'missingTable d3_Missing',
      ].sort(),
    );
  });
});
