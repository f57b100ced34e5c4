// Issue 9, point 7: a concurrent index build (outside a transaction) that was interrupted is finished by
// the rerun, and an index of the same name that is not this step's own work is never dropped or taken
// for it.
import {
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  isEvolveError,
  type Migration,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../src/runtime/index.ts';
import { driftOf } from './compile-scenario.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'ci_users';
const INDEX = 'ci_users_email_key';
const shape = { id: z.number().int(), email: z.string().max(50) };
const v1 = toSnapshot(defineSchema([defineModel('CiUser', { table: TABLE, shape })]));
const v2 = toSnapshot(
  defineSchema([
    defineModel('CiUser', {
      table: TABLE,
      shape,
      indexes: [{ name: INDEX, fields: ['email'], unique: true }],
    }),
  ]),
);
const step = (id: string, from: Snapshot, to: Snapshot): Migration => {
  const cs = diff(from, to);
  return { id, ...cs };
};
const migrations = [step('0001_users', emptySnapshot(), v1), step('0002_email_key', v1, v2)];

async function atV1(db: Kysely<any>, emails: string[]): Promise<void> {
  await sql`drop table if exists ${sql.table(TABLE)}`.execute(db);
  await resetJournal(db);
  expect((await migrate(db, { migrations: [migrations[0]!] })).error).toBeUndefined();
  await db
    .insertInto(TABLE)
    .values(emails.map((email, i) => ({ id: i + 1, email })))
    .execute();
}

async function indexes(db: Kysely<any>): Promise<{ name: string; valid: boolean; def: string }[]> {
  const { rows } = await sql<{ name: string; valid: boolean; def: string }>`
    select c.relname as name, i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = to_regclass(${TABLE}) and not i.indisprimary order by 1`.execute(db);
  return rows;
}

describeSqlEngines(
  'concurrent index builds',
  (ctx) => {
    settlePoolsAfterAll(ctx);

    it('reruns a CREATE UNIQUE INDEX CONCURRENTLY that failed over the INVALID index it left behind', async () => {
      const { db } = ctx();
      await atV1(db, ['a', 'a', 'b']);
      const failed = await migrate(db, { migrations });
      expect(failed.error?.message).toMatch(/duplicate key|could not create unique index/);
      expect(await indexes(db)).toEqual([expect.objectContaining({ name: INDEX, valid: false })]);

      await db.deleteFrom(TABLE).where('id', '=', 2).execute();
      const rerun = await migrate(db, { migrations });
      expect(rerun.error).toBeUndefined();
      expect(await indexes(db)).toEqual([expect.objectContaining({ name: INDEX, valid: true })]);
      expect(await driftOf(db, v2)).toEqual([]);
    });

    it('fails, dropping nothing, when the name belongs to an index the step did not build', async () => {
      const { db } = ctx();
      for (const other of [
        sql`create index ${sql.id(INDEX)} on ${sql.table(TABLE)} (id, email)`, // another definition
        sql`create unique index ${sql.id(INDEX)} on ${sql.table(TABLE)} (email)`, // the same, made by someone else
      ]) {
        await atV1(db, ['a', 'b']);
        await other.execute(db);
        const before = await indexes(db);
        const result = await migrate(db, { migrations });
        expect(isEvolveError(result.error), String(result.error)).toBe(true);
        expect(result.error?.message).toContain(`"${INDEX}" already exists`);
        expect(await indexes(db)).toEqual(before);
        expect(await sql`select 1 from evolve_migrations where id = '0002_email_key'`.execute(db)).toEqual(
          expect.objectContaining({ rows: [] }),
        );
      }
    });
  },
  { engines: ['pglite', 'postgres'] },
);
