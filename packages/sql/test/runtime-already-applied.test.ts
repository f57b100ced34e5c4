import type { Transform } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { diesAfter, KILLED } from '../../../test/reliability/support/dies-after.ts';
import type { CompiledStep, SqlDialect } from '../src/compiled-step.ts';
import { migrate } from '../src/runtime/index.ts';
import {
  ddl,
  resetJournal,
  settlePoolsAfterAll,
  testCompile,
  testMigration,
} from './fixtures/runtime-migrations.ts';

const quote = (dialect: SqlDialect, name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

const fill = (column: string): CompiledStep => ({
  description: `backfill aa_users.${column}`,
  transactional: false,
  statements: [],
  backfill: {
    model: 'User',
    table: 'aa_users',
    key: ['id'],
    read: { id: 'id', name: 'name' },
    set: { [column]: { transform: { model: 'User', field: column } } },
  },
});

/** A migration that adds `column` (varchar(100)) to aa_users, fills it by `transform`, then runs `after`. */
const addFilledColumn = (id: string, column: string, transform: Transform, after: CompiledStep[] = []) =>
  testMigration(
    id,
    {
      up: (dialect) => [
        ddl(
          `add column aa_users.${column}`,
          `alter table aa_users add column ${quote(dialect, column)} varchar(100)`,
        ),
        fill(column),
        ...after,
      ],
    },
    { transforms: { User: { [column]: transform } } },
  );

const addEmail = addFilledColumn('0001_email', 'email', (old) => `${String(old.name)}@example.com`, [
  ddl('index aa_users.email', 'create index aa_users_email_idx on aa_users (email)'),
]);

describeSqlEngines(
  'migrate: an object already there is ours only when our progress says so',
  (ctx, engine) => {
    settlePoolsAfterAll(ctx);
    beforeEach(async () => {
      const { db } = ctx();
      await resetJournal(db);
      await sql`drop table if exists aa_users`.execute(db);
      await sql`create table aa_users (id integer primary key, name varchar(100))`.execute(db);
      await db
        .insertInto('aa_users')
        .values([1, 2, 3, 4, 5].map((id) => ({ id, name: `user${id}` })))
        .execute();
    });
    const emails = async (db: Kysely<any>) =>
      (await db.selectFrom('aa_users').select(['id', 'email']).orderBy('id').execute()).map((r) => r.email);
    const names = async (db: Kysely<any>) =>
      (await db.selectFrom('aa_users').select('name').orderBy('id').execute()).map((r) => String(r.name));

    it('fails a rerun whose journal row was lost instead of backfilling over what was written since', async () => {
      const { db } = ctx();
      expect((await migrate(db, { migrations: [addEmail], compile: testCompile })).error).toBeUndefined();
      await db.updateTable('aa_users').set({ email: 'mine@example.org' }).where('id', '=', 1).execute();
      await db.deleteFrom('evolve_migrations').execute();
      const rerun = await migrate(db, { migrations: [addEmail], compile: testCompile });
      expect(rerun.error?.code).toBe('MIGRATION_FAILED');
      expect(rerun.error?.message).toMatch(/add column aa_users\.email/);
      expect((await emails(db))[0]).toBe('mine@example.org');
    });

    it('does not take a new column whose name differs from an existing one only by case for it: `name` is never overwritten', async () => {
      const { db, dialect } = ctx();
      const m = addFilledColumn('0001_Name', 'Name', () => 'OVERWRITTEN');
      const result = await migrate(db, { migrations: [m], compile: testCompile });
      expect(await names(db)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
      // MySQL and SQLite compare column names without case: there the column is refused as a duplicate.
      if (dialect === 'postgres') expect(result.error).toBeUndefined();
      else expect(result.error?.code).toBe('MIGRATION_FAILED');
    });

    it.skipIf(engine !== 'mysql')(
      'a rerun after a kill right after ADD COLUMN committed takes the column for its own (its progress row says that statement was under way)',
      async () => {
        const { db } = ctx();
        const killed = diesAfter(ctx(), /add column `email`/);
        const first = await migrate(killed, { migrations: [addEmail], compile: testCompile });
        await killed.destroy();
        expect(first.error?.message).toContain(KILLED);
        const progress = await db
          .selectFrom('evolve_migration_steps')
          .select(['step_index', 'status'])
          .execute();
        expect(progress).toEqual([{ step_index: 0, status: 'running' }]);
        const rerun = await migrate(db, { migrations: [addEmail], compile: testCompile });
        expect(rerun.error).toBeUndefined();
        expect(await emails(db)).toEqual([1, 2, 3, 4, 5].map((id) => `user${id}@example.com`));
      },
    );

    it.skipIf(engine !== 'mysql')(
      'a rerun does not take a column for its own when it is not what the statement creates (another type)',
      async () => {
        const { db } = ctx();
        const killed = diesAfter(ctx(), /add column `email`/);
        expect(
          (await migrate(killed, { migrations: [addEmail], compile: testCompile })).error?.message,
        ).toContain(KILLED);
        await killed.destroy();
        // someone replaced it meanwhile
        await sql`alter table aa_users drop column email`.execute(db);
        await sql`alter table aa_users add column email int`.execute(db);
        const rerun = await migrate(db, { migrations: [addEmail], compile: testCompile });
        expect(rerun.error?.code).toBe('MIGRATION_FAILED');
        expect(rerun.error?.message).toMatch(/Duplicate column/i);
      },
    );

    it.skipIf(engine !== 'mysql')(
      'a rerun after a kill right after CREATE INDEX committed goes on; an index of that name on other columns is not taken for it',
      async () => {
        const { db } = ctx();
        const killed = diesAfter(ctx(), /create index `?aa_users_email_idx/);
        expect(
          (await migrate(killed, { migrations: [addEmail], compile: testCompile })).error?.message,
        ).toContain(KILLED);
        await killed.destroy();
        await sql`drop index aa_users_email_idx on aa_users`.execute(db);
        await sql`create index aa_users_email_idx on aa_users (name)`.execute(db);
        const refused = await migrate(db, { migrations: [addEmail], compile: testCompile });
        expect(refused.error?.code).toBe('MIGRATION_FAILED');
        expect(refused.error?.message).toMatch(/Duplicate key name/i);
        await sql`drop index aa_users_email_idx on aa_users`.execute(db);
        await sql`create index aa_users_email_idx on aa_users (email)`.execute(db);
        const rerun = await migrate(db, { migrations: [addEmail], compile: testCompile });
        expect(rerun.error).toBeUndefined();
        expect(await emails(db)).toEqual([1, 2, 3, 4, 5].map((id) => `user${id}@example.com`));
      },
    );
  },
);
