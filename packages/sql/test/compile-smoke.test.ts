import { emptySnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { detectDrift, planSqlMigration, renderSql } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { changeSet, constant, createAll, field, model, snapshot, t } from './plan-fixtures.ts';

describeSqlEngines('compile smoke', (ctx) => {
  it('creates tables from a snapshot and finds no drift', async () => {
    const { db, dialect } = ctx();
    const after = snapshot(
      model(
        'User',
        {
          id: field(t.uuid()),
          email: field(t.string(200)),
          age: field(t.int(), { default: constant(3) }),
          active: field(t.bool(), { default: constant(true) }),
          score: field(t.float(), { nullable: true }),
          big: field(t.bigint(), { optional: true }),
          born: field(t.date(), { default: constant('2020-01-02T03:04:05.678Z') }),
          role: field(t.enum('a', 'b'), { default: constant("it's") }),
          meta: field(t.json(), { default: constant({ a: [1, 'x'] }) }),
        },
        { indexes: [{ name: 'User_email_key', fields: ['email'], unique: true }] },
      ),
      model(
        'Post',
        { id: field(t.int()), authorId: field(t.uuid()) },
        {
          foreignKeys: [
            {
              name: 'Post_authorId_fkey',
              fields: ['authorId'],
              references: { model: 'User', fields: ['id'] },
              onDelete: 'cascade',
            },
          ],
        },
      ),
    );
    const compiled = planSqlMigration(changeSet(emptySnapshot(), after, createAll(after)), { dialect });
    expect(renderSql(compiled)).toContain('create table');
    await runCompiled(db, compiled);
    const drift = await detectDrift(db, after);
    expect(drift.map((d) => d.message)).toEqual([]);
  });
});
