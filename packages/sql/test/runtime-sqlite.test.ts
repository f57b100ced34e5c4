import { describeSqlEngines } from '@evolve/harness';
import { CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate } from '../src/runtime/index.ts';
import { resetJournal, testCompile, testMigration } from './fixtures/runtime-migrations.ts';

const raw = (s: string) => CompiledQuery.raw(s);

describeSqlEngines(
  'migrate: SQLite table rebuilds',
  (ctx) => {
    it('recreates the triggers of a rebuilt table and restores foreign_keys after a failed rebuild', async () => {
      const { db } = ctx();
      await resetJournal(db);
      await sql`pragma foreign_keys = on`.execute(db);
      await sql`create table rb_items (id integer primary key, label text)`.execute(db);
      await sql`create table rb_log (item integer)`.execute(db);
      await sql`create trigger rb_items_log after insert on rb_items begin insert into rb_log values (new.id); end`.execute(
        db,
      );
      const rebuild = (id: string, fail: boolean) =>
        testMigration(id, {
          up: () => [
            {
              description: 'foreign keys off',
              transactional: false,
              statements: [raw('pragma foreign_keys = off')],
            },
            {
              description: 'rebuild rb_items',
              transactional: true,
              recreateTriggersOf: 'rb_items',
              statements: [
                raw('create table rb_items_new (id integer primary key, label text, note text)'),
                raw('insert into rb_items_new (id, label) select id, label from rb_items'),
                raw('drop table rb_items'),
                raw('alter table rb_items_new rename to rb_items'),
                ...(fail ? [raw('insert into rb_missing values (1)')] : []),
              ],
            },
            {
              description: 'foreign keys on',
              transactional: false,
              statements: [raw('pragma foreign_keys = on')],
            },
          ],
        });
      const failed = await migrate(db, { migrations: [rebuild('0001_rebuild', true)], compile: testCompile });
      expect(failed.error?.code).toBe('MIGRATION_FAILED');
      const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(rows[0]?.foreign_keys).toBe(1);

      const ok = await migrate(db, { migrations: [rebuild('0001_rebuild2', false)], compile: testCompile });
      expect(ok.error).toBeUndefined();
      await db.insertInto('rb_items').values({ id: 5, label: 'x', note: 'n' }).execute();
      expect(await db.selectFrom('rb_log').selectAll().execute()).toEqual([{ item: 5 }]);
    });
  },
  { engines: ['sqlite'] },
);
