// Issue 14, item 4: enums are enforced by the database. A `z.enum([...])` column carries a CHECK on every
// engine; adding values widens it before anything writes them, removing values (acknowledged, with a
// transform for the rows) swaps it after the backfill, and from then on a write of a removed value fails.
import { defineModel, defineSchema, type Migration, type Snapshot, toSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { detectDrift, migrate, rollback } from '../src/index.ts';
import { migrationChain } from './fixtures/migration-chain.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

const TABLE = 'en_tickets';

const tickets = (shape: Record<string, z.ZodType>) =>
  toSnapshot(
    defineSchema([defineModel('Ticket', { table: TABLE, shape: { id: z.number().int(), ...shape } })]),
  );

const V1 = {
  status: z.enum(['open', 'closed', 'spam']),
  note: z.enum(['x', 'y']).nullable(),
  label: z.string(),
};
const versions: { id: string; snapshot: Snapshot; extra?: Partial<Migration> }[] = [
  { id: '0001_tickets', snapshot: tickets(V1) },
  {
    id: '0002_archived',
    snapshot: tickets({ ...V1, status: z.enum(['open', 'closed', 'spam', 'archived']) }),
  },
  {
    id: '0003_no_spam',
    snapshot: tickets({ ...V1, status: z.enum(['open', 'closed', 'archived']) }),
    extra: {
      transforms: {
        Ticket: { status: (old) => (old.status === 'spam' ? 'closed' : old.status) },
      },
      acknowledge: ['Ticket.status'],
    },
  },
  {
    id: '0004_priority_and_label_enum',
    snapshot: tickets({
      ...V1,
      status: z.enum(['open', 'closed', 'archived']),
      priority: z.enum(['low', 'high']).default('low'),
      label: z.enum(['bug', 'feature']),
    }),
    extra: {
      transforms: {
        Ticket: { label: (old) => (old.label === 'bug' ? 'bug' : 'feature') },
      },
      // string -> enum is lossy (check and migrate share one rule), even with a transform that maps every value
      acknowledge: ['Ticket.label'],
    },
  },
  {
    id: '0005_status_free_text',
    snapshot: tickets({
      ...V1,
      status: z.string(),
      priority: z.enum(['low', 'high']).default('low'),
      label: z.enum(['bug', 'feature']),
    }),
  },
];

function migrations(overrides: Record<string, Partial<Migration>> = {}): Migration[] {
  return migrationChain(
    versions.map((v) => ({ ...v, extra: { acknowledge: [], ...v.extra, ...overrides[v.id] } })),
  );
}

const snapshotOf = (id: string) => versions.find((v) => v.id === id)?.snapshot as Snapshot;

/** The engine's error for a row a CHECK refuses (PostgreSQL 23514, MariaDB 4025, SQLite CHECK constraint). */
const CHECK_VIOLATION = /violates check constraint|CONSTRAINT `?[\w.]+`? failed|CHECK constraint failed/i;

async function migrateTo(db: Kysely<any>, to: string, list = migrations()) {
  const result = await migrate(db, { migrations: list, to });
  expect(result.error?.message, `migrate to ${to}`).toBeUndefined();
}

async function expectNoDrift(db: Kysely<any>, id: string) {
  const drift = await detectDrift(db, snapshotOf(id), { ignoreTables: (name) => name !== TABLE });
  expect(drift.map((d) => d.message)).toEqual([]);
}

const insert = (db: Kysely<any>, row: Record<string, unknown>) =>
  db
    .insertInto(TABLE)
    .values({ note: null, label: 'bug', ...row })
    .execute();

describeSqlEngines('enums enforced by a CHECK', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    await sql`drop table if exists ${sql.table(TABLE)}`.execute(db);
  });

  it("refuses a value outside the enum with the engine's check error, and takes NULL in a nullable enum", async () => {
    const { db } = ctx();
    await migrateTo(db, '0001_tickets');
    await insert(db, { id: 1, status: 'open' });
    await insert(db, { id: 2, status: 'closed', note: 'y' });
    await expect(insert(db, { id: 3, status: 'bogus' })).rejects.toThrow(CHECK_VIOLATION);
    await expect(insert(db, { id: 4, status: 'open', note: 'z' })).rejects.toThrow(CHECK_VIOLATION);
    await expect(db.updateTable(TABLE).set({ status: 'Open' }).where('id', '=', 1).execute()).rejects.toThrow(
      CHECK_VIOLATION,
    );
    await expectNoDrift(db, '0001_tickets');
  });

  it('drift reports an enum column without its CHECK, and one whose CHECK refuses a value of its enum', async () => {
    const { db, dialect } = ctx();
    await migrateTo(db, '0001_tickets');
    const tamper = {
      postgres: [
        'alter table en_tickets drop constraint en_tickets_status_enum',
        'alter table en_tickets drop constraint en_tickets_note_enum',
        "alter table en_tickets add constraint en_tickets_note_enum check (note in ('x'))",
      ],
      mysql: [
        'alter table en_tickets modify column status varchar(255) not null',
        "alter table en_tickets modify column note varchar(255) check (binary note in ('x'))",
      ],
      sqlite: [
        'drop table en_tickets',
        `create table en_tickets ("id" integer not null, "status" text not null,
           "note" text constraint "en_tickets_note_enum" check ("note" in ('x')), "label" text not null,
           constraint "en_tickets_pkey" primary key ("id"))`,
      ],
    }[dialect];
    for (const statement of tamper) await sql.raw(statement).execute(db);
    const drift = await detectDrift(db, snapshotOf('0001_tickets'), {
      ignoreTables: (name) => name !== TABLE,
    });
    // in the table's column order (status is declared before note)
    expect(drift.map((d) => [d.kind, d.message])).toEqual([
      ['enumCheck', 'en_tickets.status has no CHECK holding it to its enum values (open, closed, spam)'],
      ['enumCheck', 'en_tickets.note has a CHECK refusing y of its enum'],
    ]);
  });

  it('adding a value lets it be written from the migration on', async () => {
    const { db } = ctx();
    await migrateTo(db, '0001_tickets');
    await insert(db, { id: 1, status: 'spam' });
    await expect(insert(db, { id: 2, status: 'archived' })).rejects.toThrow(CHECK_VIOLATION);
    await migrateTo(db, '0002_archived');
    await insert(db, { id: 2, status: 'archived' });
    await expect(insert(db, { id: 3, status: 'deleted' })).rejects.toThrow(CHECK_VIOLATION);
    await expectNoDrift(db, '0002_archived');
  });

  it('removing a value needs an acknowledgement; then the rows are rewritten, the value is refused, and down takes it again', async () => {
    const { db } = ctx();
    await migrateTo(db, '0002_archived');
    for (const [id, status] of [
      [1, 'open'],
      [2, 'spam'],
      [3, 'archived'],
      [4, 'spam'],
    ] as const) {
      await insert(db, { id, status });
    }
    const unacknowledged = await migrate(db, {
      migrations: migrations({ '0003_no_spam': { acknowledge: [] } }),
      to: '0003_no_spam',
    });
    expect(unacknowledged.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
    expect(unacknowledged.error?.message).toMatch(/writes of spam fail/);

    await migrateTo(db, '0003_no_spam');
    const rows = await db.selectFrom(TABLE).select(['id', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, status: 'open' },
      { id: 2, status: 'closed' },
      { id: 3, status: 'archived' },
      { id: 4, status: 'closed' },
    ]);
    await expect(insert(db, { id: 5, status: 'spam' })).rejects.toThrow(CHECK_VIOLATION);
    await expect(db.updateTable(TABLE).set({ status: 'spam' }).where('id', '=', 1).execute()).rejects.toThrow(
      CHECK_VIOLATION,
    );
    await expectNoDrift(db, '0003_no_spam');

    const down = await rollback(db, { migrations: migrations(), to: '0002_archived' });
    expect(down.error?.message).toBeUndefined();
    await insert(db, { id: 5, status: 'spam' });
    await expectNoDrift(db, '0002_archived');
  });

  it('a new enum column and a string turned enum get a CHECK; an enum turned string loses it', async () => {
    const { db } = ctx();
    await migrateTo(db, '0003_no_spam');
    await insert(db, { id: 1, status: 'open', label: 'bug' });
    await insert(db, { id: 2, status: 'open', label: 'a crash' });
    await migrateTo(db, '0004_priority_and_label_enum');
    const rows = await db.selectFrom(TABLE).select(['id', 'label', 'priority']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, label: 'bug', priority: 'low' },
      { id: 2, label: 'feature', priority: 'low' },
    ]);
    await expect(insert(db, { id: 3, status: 'open', priority: 'urgent' })).rejects.toThrow(CHECK_VIOLATION);
    await expect(insert(db, { id: 4, status: 'open', label: 'question' })).rejects.toThrow(CHECK_VIOLATION);
    await insert(db, { id: 5, status: 'open', priority: 'high', label: 'feature' });
    await expectNoDrift(db, '0004_priority_and_label_enum');

    await migrateTo(db, '0005_status_free_text');
    await insert(db, { id: 6, status: 'anything at all', label: 'bug' });
    await expect(insert(db, { id: 7, status: 'open', label: 'question' })).rejects.toThrow(CHECK_VIOLATION);
    await expectNoDrift(db, '0005_status_free_text');
  });
});

// Renames keep the CHECK evolve later swaps by name: PostgreSQL renames the constraint with its column or
// table, MariaDB's column CHECK and SQLite's column constraint follow the column.
const renamed = (table: string, field: string, values: [string, ...string[]], renamedFrom?: string) =>
  toSnapshot(
    defineSchema([
      defineModel('Flag', {
        table,
        shape: {
          id: z.number().int(),
          [field]: renamedFrom ? z.enum(values).meta({ renamedFrom }) : z.enum(values),
        },
      }),
    ]),
  );

function renameHistory(): Migration[] {
  return migrationChain([
    { id: '0001_flags', snapshot: renamed('en_flags', 'state', ['on', 'off']) },
    { id: '0002_renames', snapshot: renamed('en_flags2', 'status', ['on', 'off'], 'state') },
    { id: '0003_unknown', snapshot: renamed('en_flags2', 'status', ['on', 'off', 'unknown']) },
    {
      id: '0004_no_off',
      snapshot: renamed('en_flags2', 'status', ['on', 'unknown']),
      extra: {
        transforms: { Flag: { status: (old) => (old.status === 'off' ? 'unknown' : old.status) } },
        acknowledge: ['Flag.status'],
      },
    },
  ]);
}

describeSqlEngines('enum CHECKs through renames', (ctx) => {
  settlePoolsAfterAll(ctx);
  beforeEach(async () => {
    const { db } = ctx();
    await resetJournal(db);
    for (const t of ['en_flags', 'en_flags2']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
  });

  it('widens and narrows the CHECK of a column whose table and column were renamed', async () => {
    const { db } = ctx();
    const list = renameHistory();
    await migrateTo(db, '0002_renames', list);
    await db.insertInto('en_flags2').values({ id: 1, status: 'off' }).execute();
    await expect(db.insertInto('en_flags2').values({ id: 2, status: 'unknown' }).execute()).rejects.toThrow(
      CHECK_VIOLATION,
    );
    await migrateTo(db, '0003_unknown', list);
    await db.insertInto('en_flags2').values({ id: 2, status: 'unknown' }).execute();
    await migrateTo(db, '0004_no_off', list);
    expect(await db.selectFrom('en_flags2').select(['id', 'status']).orderBy('id').execute()).toEqual([
      { id: 1, status: 'unknown' },
      { id: 2, status: 'unknown' },
    ]);
    await expect(db.insertInto('en_flags2').values({ id: 3, status: 'off' }).execute()).rejects.toThrow(
      CHECK_VIOLATION,
    );
    const drift = await detectDrift(db, renamed('en_flags2', 'status', ['on', 'unknown']), {
      ignoreTables: (name) => name !== 'en_flags2',
    });
    expect(drift.map((d) => d.message)).toEqual([]);
  });
});
