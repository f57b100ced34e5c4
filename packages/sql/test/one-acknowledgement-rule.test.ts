// Issue 11 / 13: one acknowledgement rule. `evolve check` (core's unacknowledgedChanges, through the CLI's
// migration findings) and migrate() refuse exactly the same migrations: before, `removeEnumValues` and lossy type
// changes failed `check` while `up` applied them (migrate looked only at compiled steps flagged destructive).
import {
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  toSnapshot,
  unacknowledgedChanges,
} from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../src/index.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'oar_items';
const schema = (shape: Record<string, z.ZodType>) =>
  toSnapshot(
    defineSchema([defineModel('Item', { table: TABLE, shape: { id: z.number().int(), ...shape } })]),
  );

const V1 = { status: z.enum(['open', 'spam']), label: z.string(), note: z.string().nullable() };
const V1_SNAPSHOT = schema(V1);
const init = (): Migration => {
  const cs = diff(emptySnapshot(), V1_SNAPSHOT);
  return { id: '0001_items', ...cs };
};

/** The loss each second migration makes, with the transform that makes it runnable. */
const LOSSES: {
  name: string;
  path: string;
  shape: Record<string, z.ZodType>;
  transforms?: Migration['transforms'];
}[] = [
  {
    name: 'removeEnumValues',
    path: 'Item.status',
    shape: { ...V1, status: z.enum(['open']) },
    transforms: { Item: { status: () => 'open' } },
  },
  {
    name: 'string -> enum (changeType, lossy)',
    path: 'Item.label',
    shape: { ...V1, label: z.enum(['bug', 'feature']) },
    transforms: { Item: { label: () => 'bug' } },
  },
  { name: 'dropField', path: 'Item.note', shape: { status: V1.status, label: V1.label } },
];

function second(loss: (typeof LOSSES)[number], acknowledge: string[]): Migration {
  const cs = diff(V1_SNAPSHOT, schema(loss.shape));
  return {
    id: '0002_loss',
    ...cs,
    acknowledge,
    ...(loss.transforms ? { transforms: loss.transforms } : {}),
  };
}

const columns = async (db: Kysely<any>) =>
  (await db.introspection.getTables())
    .find((t) => t.name === TABLE)
    ?.columns.map((c) => c.name)
    .sort();

describeSqlEngines('one acknowledgement rule for check and migrate', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    await sql`drop table if exists ${sql.table(TABLE)}`.execute(db);
  });

  it.each(LOSSES)(
    '$name: check and migrate both refuse it unacknowledged, both accept it acknowledged',
    async (loss) => {
      const { db } = ctx();
      expect((await migrate(db, { migrations: [init()] })).error).toBeUndefined();
      await db.insertInto(TABLE).values({ id: 1, status: 'spam', label: 'x', note: 'n' }).execute();
      const before = await columns(db);

      const refused = second(loss, []);
      expect(unacknowledgedChanges(refused).map((c) => `${c.model}.${c.path.join('.')}`)).toEqual([
        loss.path,
      ]);
      const result = await migrate(db, { migrations: [init(), refused] });
      expect(result.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
      expect(result.error?.path).toBe(loss.path);
      expect(await columns(db)).toEqual(before);
      expect(await db.selectFrom(TABLE).selectAll().execute()).toEqual([
        { id: 1, status: 'spam', label: 'x', note: 'n' },
      ]);

      const accepted = second(loss, [loss.path]);
      expect(unacknowledgedChanges(accepted)).toEqual([]);
      const applied = await migrate(db, { migrations: [init(), accepted] });
      expect(applied.error).toBeUndefined();
      expect(applied.applied.map((r) => r.id)).toEqual(['0002_loss']);
    },
  );
});
