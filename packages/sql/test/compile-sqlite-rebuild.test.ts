import { diff } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { compileMigration, planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { runScenario } from './compile-scenario.ts';
import { constant, field, model, snapshot, t } from './plan-fixtures.ts';

describeSqlEngines(
  'sqlite table rebuild',
  (ctx) => {
    it('merges consecutive changes to one table, and the constant fill between them, into a single rebuild', async () => {
      const { db, dialect } = ctx();
      const before = snapshot(
        model('RbUser', { id: field(t.int()), a: field(t.string(), { nullable: true }), b: field(t.int()) }),
      );
      const after = snapshot(
        model('RbUser', {
          id: field(t.int()),
          a: field(t.string(), { default: constant('x') }),
          b: field(t.float()),
        }),
      );
      const changes = diff(before, after);
      const steps = compileMigration({ id: '0002', ...changes }, { dialect, before, direction: 'up' });
      expect(steps.filter((s) => s.description.startsWith('rebuild table RbUser'))).toHaveLength(1);
      await runScenario(db, dialect, { before, after, rows: { RbUser: [{ id: 1, a: null, b: 2 }] } });
      expect(await db.selectFrom('RbUser').selectAll().execute()).toEqual([{ id: 1, a: 'x', b: 2 }]);
    });

    it('recreates the triggers of a rebuilt table', async () => {
      const { db } = ctx();
      const before = snapshot(model('TrUser', { id: field(t.int()), n: field(t.int(), { nullable: true }) }));
      const after = snapshot(
        model('TrUser', { id: field(t.int()), n: field(t.int(), { default: constant(0) }) }),
      );
      await runCompiled(db, planSqlMigration(diff(snapshot(), before), { dialect: 'sqlite' }));
      await sql`create table tr_log (msg text)`.execute(db);
      await sql
        .raw(
          `create trigger tr_user_ins after insert on "TrUser" begin insert into tr_log values ('added'); end`,
        )
        .execute(db);
      await runCompiled(db, planSqlMigration(diff(before, after), { dialect: 'sqlite', before }));
      await db.insertInto('TrUser').values({ id: 1 }).execute();
      expect(await db.selectFrom('tr_log').selectAll().execute()).toEqual([{ msg: 'added' }]);
    });

    it('fails and rolls back a rebuild that would leave orphan rows, even without reading verify', async () => {
      const { db } = ctx();
      const before = snapshot(
        model('OrParent', { id: field(t.int()) }),
        model('OrChild', { id: field(t.int()), parentId: field(t.int()) }),
      );
      const after = snapshot(
        model('OrParent', { id: field(t.int()) }),
        model(
          'OrChild',
          { id: field(t.int()), parentId: field(t.int()) },
          {
            foreignKeys: [
              {
                name: 'OrChild_parentId_fkey',
                fields: ['parentId'],
                references: { model: 'OrParent', fields: ['id'] },
                onDelete: 'cascade',
              },
            ],
          },
        ),
      );
      await runCompiled(db, planSqlMigration(diff(snapshot(), before), { dialect: 'sqlite' }));
      await db.insertInto('OrChild').values({ id: 1, parentId: 42 }).execute();
      const steps = planSqlMigration(diff(before, after), { dialect: 'sqlite', before }).map(
        ({ verify: _, ...s }) => s,
      );
      await expect(runCompiled(db, steps)).rejects.toThrow(/foreign_key_violation_after_rebuild/);
      await sql`pragma foreign_keys = on`.execute(db);
      expect(await db.selectFrom('OrChild').selectAll().execute()).toEqual([{ id: 1, parentId: 42 }]);
      const tables = (await db.introspection.getTables()).map((x) => x.name);
      expect(tables).not.toContain('_evolve_new_OrChild');
    });
  },
  { engines: ['sqlite'] },
);
