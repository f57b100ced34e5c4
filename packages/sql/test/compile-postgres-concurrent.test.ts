import { diff } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { driftOf } from './compile-scenario.ts';
import { field, model, snapshot, t } from './plan-fixtures.ts';

describeSqlEngines(
  'concurrent index builds',
  (ctx) => {
    it('retries a failed CREATE UNIQUE INDEX CONCURRENTLY over the INVALID index it left behind', async () => {
      const { db } = ctx();
      const before = snapshot(model('CiUser', { id: field(t.int()), email: field(t.string(50)) }));
      const after = snapshot(
        model(
          'CiUser',
          { id: field(t.int()), email: field(t.string(50)) },
          {
            indexes: [{ name: 'CiUser_email_key', fields: ['email'], unique: true }],
          },
        ),
      );
      await runCompiled(db, planSqlMigration(diff(snapshot(), before), { dialect: 'postgres' }));
      await db
        .insertInto('CiUser')
        .values([
          { id: 1, email: 'a' },
          { id: 2, email: 'a' },
        ])
        .execute();
      const steps = planSqlMigration(diff(before, after), { dialect: 'postgres', before });
      await expect(runCompiled(db, steps)).rejects.toThrow();
      const invalid = await sql<{ n: number }>`
        select count(*)::int as n from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname = 'CiUser_email_key' and not i.indisvalid`.execute(db);
      expect(invalid.rows[0]?.n).toBe(1);
      expect(await driftOf(db, after)).toEqual(['index CiUser_email_key on CiUser is missing']);
      await db.deleteFrom('CiUser').where('id', '=', 2).execute();
      await runCompiled(db, steps);
      expect(await driftOf(db, after)).toEqual([]);
    });
  },
  { engines: ['pglite', 'postgres'] },
);
