// drizzle-kit parity, PostgreSQL: each case is a drizzle schema history (applied with drizzle-kit's own
// migration generator) and the evolve models written by hand for the same final schema.
import { defineModel, type Model } from '@evolve/core';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { z } from 'zod';

export interface ParityCase {
  name: string;
  /** The drizzle schema at each step (what a drizzle-kit user's schema file exports), applied in order. */
  steps: Record<string, unknown>[];
  /** The tables the case makes (pulled with `tables`). */
  tables: string[];
  /** The evolve models of the final schema. */
  expected: Model[];
  /** Notes pull must give (each matched by one note's `table.item: reason`). */
  notes?: RegExp[];
}

const p01Users = pgTable('p01_users', {
  id: uuid().primaryKey(),
  email: varchar({ length: 200 }).notNull(),
  name: text(),
  age: integer().notNull().default(18),
  active: boolean().notNull().default(true),
  score: doublePrecision(),
  visits: bigint({ mode: 'number' }),
  joined: timestamp({ withTimezone: true }).notNull(),
  seen: timestamp(),
});

const p02Settings = pgTable('p02_settings', {
  id: integer().primaryKey(),
  theme: text().notNull().default('dark'),
  prefs: jsonb().notNull().default({ compact: true, size: 12 }),
  price: numeric({ precision: 10, scale: 2 }).notNull().default('0'),
  note: varchar({ length: 40 }).default("it's"),
});

const p03Users = pgTable(
  'p03_users',
  {
    id: integer().primaryKey(),
    email: text().notNull().unique(),
    first: text().notNull(),
    last: text().notNull(),
  },
  (t) => [
    index('p03_users_name_idx').on(t.last, t.first),
    uniqueIndex('p03_users_full_uq').on(t.first, t.last),
  ],
);

const p04Memberships = pgTable(
  'p04_memberships',
  {
    user_id: integer().notNull(),
    group_id: integer().notNull(),
    role: text().notNull().default('member'),
  },
  (t) => [primaryKey({ columns: [t.user_id, t.group_id] })],
);

const p05Authors = pgTable('p05_authors', { id: integer().primaryKey(), name: text().notNull() });
const p05Books = pgTable('p05_books', {
  id: integer().primaryKey(),
  author_id: integer()
    .notNull()
    .references(() => p05Authors.id, { onDelete: 'cascade' }),
  editor_id: integer().references(() => p05Authors.id, { onDelete: 'set null' }),
});

const p06Docs = pgTable('p06_docs', {
  id: uuid().primaryKey(),
  body: jsonb().notNull(),
  meta: jsonb().default({}),
  tags: jsonb().default(['a', 'b']),
});

const p07Mood = pgEnum('p07_mood', ['sad', 'ok', 'happy']);
const p07Tasks = pgTable('p07_tasks', {
  id: integer().primaryKey(),
  mood: p07Mood().notNull().default('ok'),
});

const p08v1 = pgTable('p08_users', { id: integer().primaryKey(), email: text().notNull() });
const p08v2 = pgTable('p08_users', {
  id: integer().primaryKey(),
  email: text().notNull(),
  nickname: varchar({ length: 50 }),
  age: integer().notNull().default(0),
});

const p09v1 = pgTable('p09_users', { id: integer().primaryKey(), email: text().notNull(), legacy: text() });
const p09v2 = pgTable('p09_users', { id: integer().primaryKey(), email: text().notNull() });

const p10v1 = pgTable('p10_users', {
  id: integer().primaryKey(),
  name: varchar({ length: 100 }),
  bio: text().notNull().default(''),
  rank: integer(),
});
const p10v2 = pgTable('p10_users', {
  id: integer().primaryKey(),
  name: varchar({ length: 200 }).notNull(),
  bio: text(),
  rank: bigint({ mode: 'number' }).default(1),
});

const p11a = pgTable('p11_a', { id: integer().primaryKey() });
const p11b = pgTable('p11_b', { id: integer().primaryKey() });
const p11c = pgTable('p11_c', { id: integer().primaryKey(), label: text().notNull() });

const p12v1 = pgTable(
  'p12_users',
  { id: integer().primaryKey(), email: text().notNull(), handle: text().notNull().unique() },
  (t) => [index('p12_users_email_idx').on(t.email)],
);
const p12v2 = pgTable(
  'p12_users',
  { id: integer().primaryKey(), email: text().notNull(), handle: text().notNull() },
  (t) => [uniqueIndex('p12_users_email_uq').on(t.email)],
);

export const PG_CASES: ParityCase[] = [
  {
    name: 'a new table with the common column types',
    steps: [{ p01Users }],
    tables: ['p01_users'],
    expected: [
      defineModel('P01Users', {
        table: 'p01_users',
        shape: {
          id: z.uuid(),
          email: z.string().max(200),
          name: z.string().nullable(),
          age: z.number().int().default(18),
          active: z.boolean().default(true),
          score: z.number().nullable(),
          visits: z.bigint().nullable(),
          joined: z.date(),
          seen: z.date().meta({ sqlType: 'timestamp without time zone' }).nullable(),
        },
      }),
    ],
  },
  {
    name: 'constant defaults: text, jsonb, numeric, a quote',
    steps: [{ p02Settings }],
    tables: ['p02_settings'],
    expected: [
      defineModel('P02Settings', {
        table: 'p02_settings',
        shape: {
          id: z.number().int(),
          theme: z.string().default('dark'),
          prefs: z.unknown().default({ compact: true, size: 12 }),
          price: z.string().meta({ sqlType: 'numeric(10,2)' }).default('0'),
          note: z.string().max(40).nullable().default("it's"),
        },
      }),
    ],
  },
  {
    name: 'a unique column, a composite index and a composite unique index',
    steps: [{ p03Users }],
    tables: ['p03_users'],
    expected: [
      defineModel('P03Users', {
        table: 'p03_users',
        shape: { id: z.number().int(), email: z.string(), first: z.string(), last: z.string() },
        indexes: [
          { fields: ['email'], unique: true, name: 'p03_users_email_unique' },
          { fields: ['last', 'first'], name: 'p03_users_name_idx' },
          { fields: ['first', 'last'], unique: true, name: 'p03_users_full_uq' },
        ],
      }),
    ],
  },
  {
    name: 'a composite primary key',
    steps: [{ p04Memberships }],
    tables: ['p04_memberships'],
    expected: [
      defineModel('P04Memberships', {
        table: 'p04_memberships',
        primaryKey: ['user_id', 'group_id'],
        shape: { user_id: z.number().int(), group_id: z.number().int(), role: z.string().default('member') },
      }),
    ],
  },
  {
    name: 'foreign keys with on delete cascade and set null',
    steps: [{ p05Authors, p05Books }],
    tables: ['p05_authors', 'p05_books'],
    expected: [
      defineModel('P05Authors', { table: 'p05_authors', shape: { id: z.number().int(), name: z.string() } }),
      defineModel('P05Books', {
        table: 'p05_books',
        shape: { id: z.number().int(), author_id: z.number().int(), editor_id: z.number().int().nullable() },
        foreignKeys: [
          {
            fields: ['author_id'],
            references: { model: 'P05Authors', fields: ['id'] },
            onDelete: 'cascade',
            name: 'p05_books_author_id_p05_authors_id_fk',
          },
          {
            fields: ['editor_id'],
            references: { model: 'P05Authors', fields: ['id'] },
            onDelete: 'set null',
            name: 'p05_books_editor_id_p05_authors_id_fk',
          },
        ],
      }),
    ],
  },
  {
    name: 'jsonb columns with object and array defaults',
    steps: [{ p06Docs }],
    tables: ['p06_docs'],
    expected: [
      defineModel('P06Docs', {
        table: 'p06_docs',
        shape: {
          id: z.uuid(),
          body: z.unknown(),
          meta: z.unknown().nullable().default({}),
          tags: z.unknown().nullable().default(['a', 'b']),
        },
      }),
    ],
  },
  {
    name: 'a native enum column',
    steps: [{ p07Mood, p07Tasks }],
    tables: ['p07_tasks'],
    expected: [
      defineModel('P07Tasks', {
        table: 'p07_tasks',
        shape: {
          id: z.number().int(),
          mood: z.enum(['sad', 'ok', 'happy']).meta({ sqlType: 'p07_mood' }).default('ok'),
        },
      }),
    ],
    notes: [/^p07_tasks\.mood: native enum type p07_mood/],
  },
  {
    name: 'columns added to a table',
    steps: [{ p08v1 }, { p08v2 }],
    tables: ['p08_users'],
    expected: [
      defineModel('P08Users', {
        table: 'p08_users',
        shape: {
          id: z.number().int(),
          email: z.string(),
          nickname: z.string().max(50).nullable(),
          age: z.number().int().default(0),
        },
      }),
    ],
  },
  {
    name: 'a column dropped',
    steps: [{ p09v1 }, { p09v2 }],
    tables: ['p09_users'],
    expected: [
      defineModel('P09Users', { table: 'p09_users', shape: { id: z.number().int(), email: z.string() } }),
    ],
  },
  {
    name: 'columns altered: type widened, set not null, default dropped, type changed with a default',
    steps: [{ p10v1 }, { p10v2 }],
    tables: ['p10_users'],
    expected: [
      defineModel('P10Users', {
        table: 'p10_users',
        shape: {
          id: z.number().int(),
          name: z.string().max(200),
          bio: z.string().nullable(),
          rank: z.bigint().nullable().default(1n),
        },
      }),
    ],
  },
  {
    name: 'a table dropped and another created',
    steps: [{ p11a, p11b }, { p11a }, { p11a, p11c }],
    tables: ['p11_a', 'p11_c'],
    expected: [
      defineModel('P11A', { table: 'p11_a', shape: { id: z.number().int() } }),
      defineModel('P11C', { table: 'p11_c', shape: { id: z.number().int(), label: z.string() } }),
    ],
  },
  {
    name: 'an index and a unique constraint dropped, a unique index added',
    steps: [{ p12v1 }, { p12v2 }],
    tables: ['p12_users'],
    expected: [
      defineModel('P12Users', {
        table: 'p12_users',
        shape: { id: z.number().int(), email: z.string(), handle: z.string() },
        indexes: [{ fields: ['email'], unique: true, name: 'p12_users_email_uq' }],
      }),
    ],
  },
];
