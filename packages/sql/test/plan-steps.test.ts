import { applyChanges, diff, emptySnapshot, isEvolveError, type Migration } from '@evolve/core';
import { expect, it } from 'vitest';
import * as sqlApi from '../src/index.ts';
import {
  compileMigration,
  compileSqlSteps,
  emitSqlSection,
  planSqlMigration,
  planSqlSteps,
  rawSql,
  renderSql,
} from '../src/index.ts';
import { change, constant, field, model, snapshot, t } from './plan-fixtures.ts';

const v1 = snapshot(
  model('User', {
    id: field(t.int()),
    name: field(t.string(100)),
    legacy: field(t.int(), { nullable: true }),
  }),
  model(
    'Note',
    { _id: field(t.string()), body: field(t.string()) },
    { target: 'document', primaryKey: ['_id'] },
  ),
);
const v2 = snapshot(
  model(
    'User',
    {
      id: field(t.int()),
      fullName: field(t.string(100)),
      email: field(t.string(200)),
      role: field(t.enum('admin', 'member'), { default: constant('member') }),
      address: field(t.object({ town: field(t.string()) }), { nullable: true }),
    },
    { indexes: [{ name: 'User_email_key', fields: ['email'], unique: true }] },
  ),
  model(
    'Note',
    { _id: field(t.string()), text: field(t.string()) },
    { target: 'document', primaryKey: ['_id'] },
  ),
);
const changes = diff(v1, v2, {
  renames: { 'User.name': 'fullName', 'Note.body': 'text' },
  drops: ['User.legacy'],
});

it('plans expand -> backfill -> contract for a model, with indexes after, and ignores document models', () => {
  const steps = planSqlSteps(changes, { before: v1, transforms: { User: { email: () => 'x' } } });
  expect(
    steps.map((s) => `${s.kind} ${'column' in s ? s.column : 'name' in s ? s.name : ''}`.trim()),
  ).toEqual([
    'renameColumn name',
    'addColumn address',
    'addColumn email',
    'addColumn role',
    'validateEnumCheck role',
    'backfill',
    // NOT NULL first: until the drop, rows the old code writes can still be computed from every old column
    'setNotNull email',
    'dropColumn legacy',
    'createIndex User_email_key',
  ]);
  expect(steps.find((s) => s.kind === 'addColumn' && s.column === 'email')).toMatchObject({
    spec: { nullable: true },
  });
  expect(steps.find((s) => s.kind === 'addColumn' && s.column === 'role')).toMatchObject({
    spec: { nullable: false, default: 'member' },
  });
});

it('plans a backfill from a transform even when no transform is known yet (a TODO in the file), never a silent NOT NULL', () => {
  const steps = planSqlSteps(changes, { before: v1 });
  expect(steps.filter((s) => s.kind === 'backfill')).toEqual([
    { kind: 'backfill', model: 'User', table: 'User', set: { email: { transform: 'email' } } },
  ]);
});

it('compiles PostgreSQL steps on existing tables to the non-blocking forms', () => {
  const before = snapshot(
    model('Acct', {
      id: field(t.int()),
      email: field(t.string(50), { nullable: true }),
      orgId: field(t.int()),
    }),
    model('Org', { id: field(t.int()) }),
  );
  const after = snapshot(
    model(
      'Acct',
      { id: field(t.int()), email: field(t.string(50)), orgId: field(t.int()) },
      {
        indexes: [{ name: 'Acct_email_key', fields: ['email'], unique: true }],
        foreignKeys: [
          {
            name: 'Acct_orgId_fkey',
            fields: ['orgId'],
            references: { model: 'Org', fields: ['id'] },
            onDelete: 'restrict',
          },
        ],
      },
    ),
    model('Org', { id: field(t.int()) }),
  );
  const compiled = planSqlMigration(diff(before, after), {
    dialect: 'postgres',
    before,
    lockTimeoutMs: 2000,
  });
  const script = renderSql(compiled);
  expect(script).toContain(`set local lock_timeout = '2000ms'`);
  expect(script).toContain('add constraint "Acct_email_not_null" check ("email" is not null) not valid');
  expect(script).toContain('alter table "Acct" validate constraint "Acct_email_not_null"');
  expect(script).toContain('create unique index concurrently "Acct_email_key" on "Acct" ("email")');
  expect(script).not.toContain('drop index concurrently if exists "Acct_email_key"');
  expect(script).toContain('on delete restrict not valid');
  const concurrent = compiled.find((s) => s.description.includes('concurrently'));
  expect(concurrent?.transactional).toBe(false);
  expect(compiled.filter((s) => !s.transactional).map((s) => s.description)).toEqual([
    'validate Acct_email_not_null (scans Acct without blocking writes)',
    'create unique index Acct_email_key on Acct concurrently',
    'validate foreign key Acct_orgId_fkey (scans Acct without blocking writes)',
  ]);
});

it('compiles MySQL index builds on existing tables as online ALTERs, and marks type changes as rewrites', () => {
  const before = snapshot(
    model('Acct', { id: field(t.int()), n: field(t.int()), email: field(t.string(50)) }),
  );
  const after = snapshot(
    model(
      'Acct',
      { id: field(t.int()), n: field(t.bigint()), email: field(t.string(50)) },
      { indexes: [{ name: 'Acct_email_idx', fields: ['email'], unique: false }] },
    ),
  );
  const compiled = planSqlMigration(diff(before, after), { dialect: 'mysql', before });
  expect(renderSql(compiled)).toContain(
    'alter table `Acct` add index `Acct_email_idx` (`email`), algorithm=inplace, lock=none',
  );
  expect(compiled.find((s) => s.description.startsWith('change type'))).toMatchObject({
    rewritesTable: true,
  });
});

it('says which type changes rewrite the table', () => {
  const step = (from: never, to: never) =>
    planSqlSteps(
      { from: '', to: '', changes: [change({ kind: 'changeType', model: 'A', path: ['x'], from, to })] },
      { before: snapshot(model('A', { id: field(t.int()), x: field(from) })) },
    )[0];
  expect(step(t.string(10) as never, t.string(20) as never)).toMatchObject({
    kind: 'alterColumnType',
    rewrite: false,
  });
  expect(step(t.string(20) as never, t.string(10) as never)).toMatchObject({ rewrite: true });
  expect(step(t.int() as never, t.bigint() as never)).toMatchObject({ rewrite: true });
});

it('narrows a PostgreSQL string column without an explicit cast, so too-long values fail instead of being cut', () => {
  const before = snapshot(model('N', { id: field(t.int()), s: field(t.string(20)), n: field(t.string(5)) }));
  const after = snapshot(model('N', { id: field(t.int()), s: field(t.string(5)), n: field(t.int()) }));
  const script = renderSql(planSqlMigration(diff(before, after), { dialect: 'postgres', before }));
  expect(script).toContain('alter table "N" alter column "s" type varchar(5);');
  expect(script).toContain('alter table "N" alter column "n" type integer using "n"::integer;');
});

it('refuses a change kind it cannot express, and a rawSql step without SQL for the dialect', () => {
  const bogus = {
    from: '',
    to: '',
    changes: [
      {
        ...change({
          kind: 'addIndex',
          model: 'A',
          path: [],
          index: { name: 'i', fields: ['id'], unique: false },
        }),
        kind: 'addCheck',
      },
    ],
  };
  const before = snapshot(model('A', { id: field(t.int()) }));
  expect(() => planSqlSteps(bogus as never, { before })).toThrow(
    expect.objectContaining({ code: 'UNSUPPORTED_CHANGE' }),
  );
  expect(() => compileSqlSteps([rawSql({ postgres: 'select 1' })], { dialect: 'sqlite', before })).toThrow(
    expect.objectContaining({ code: 'UNSUPPORTED_CHANGE' }),
  );
});

it('emits a readable SQL section whose code builds exactly the planned steps', () => {
  const transforms = { User: { email: () => 'x' } };
  const { code, imports } = emitSqlSection(changes, { before: v1, transforms });
  expect(code).toContain("renameColumn('User', 'name', 'fullName'),");
  expect(code).toContain("backfill('User', { email: transform('email') }),");
  expect(code).toContain("setNotNull('User', 'email'),");
  expect(code).toMatch(/\/\/ destructive: loses data.*\n\s+dropColumn\('User', 'legacy'\),/);
  expect(imports).toContain('renameColumn');
  const api = sqlApi as unknown as Record<string, unknown>;
  const section = new Function(...imports, `return { ${code} };`)(...imports.map((name) => api[name])).sql;
  expect(section.up).toEqual(planSqlSteps(changes, { before: v1, transforms }));
  const after = applyChanges(v1, changes);
  expect(compileSqlSteps(section.down, { dialect: 'postgres', before: after }).length).toBeGreaterThan(0);
});

it('compiles a migration from its sql section when present, and refuses a malformed one', () => {
  const base: Migration = { id: '0002_x', ...changes };
  const planned = compileMigration(base, { dialect: 'sqlite', before: v1, direction: 'up' });
  const fromSection = compileMigration(
    { ...base, sql: { up: [rawSql({ sqlite: 'select 1', description: 'custom' })] } },
    { dialect: 'sqlite', before: v1, direction: 'up' },
  );
  expect(planned.length).toBeGreaterThan(1);
  expect(fromSection.map((s) => s.description)).toEqual(['custom']);
  for (const sql of [
    { up: 'nope' },
    { up: [{ kind: 'dropEverything' }] },
    { up: [{ kind: 'addColumn', table: 'User' }] },
    7,
  ]) {
    let error: unknown;
    try {
      compileMigration({ ...base, sql }, { dialect: 'sqlite', before: v1, direction: 'up' });
    } catch (e) {
      error = e;
    }
    expect(isEvolveError(error, 'INVALID_MIGRATION')).toBe(true);
  }
});

it('compiles down from the reversed changes against the schema after the migration', () => {
  const base: Migration = { id: '0002_x', ...changes };
  const down = compileMigration(base, { dialect: 'postgres', before: v1, direction: 'down' });
  const script = renderSql(down);
  expect(script).toContain('drop index concurrently if exists "User_email_key"');
  expect(script).toContain('alter table "User" rename column "fullName" to "name"');
  expect(
    down
      .filter((s) => s.destructive)
      .map((s) => s.path)
      .sort(),
  ).toEqual(['User.address', 'User.email', 'User.role']);
});

it('previews new models without a before snapshot', () => {
  const created = diff(emptySnapshot(), v1);
  expect(planSqlMigration(created, { dialect: 'sqlite' }).map((s) => s.description)).toEqual([
    'create table User',
  ]);
});
