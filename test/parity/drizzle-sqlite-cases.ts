// drizzle-kit parity, SQLite: as drizzle-pg-cases.ts, on SQLite (where drizzle-kit rebuilds tables to alter).
import { defineModel } from '@evolve/core';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import type { ParityCase } from './drizzle-pg-cases.ts';

const s13Items = sqliteTable('s13_items', {
  id: integer().primaryKey(),
  name: text().notNull(),
  price: real(),
  stock: integer().notNull().default(0),
  kind: text().notNull().default('plain'),
  data: text({ mode: 'json' }),
});

const s14Tags = sqliteTable(
  's14_tags',
  {
    post_id: integer().notNull(),
    tag: text().notNull(),
    slug: text().notNull().unique(),
    weight: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.post_id, t.tag] }),
    index('s14_tags_weight_idx').on(t.weight, t.tag),
    uniqueIndex('s14_tags_tag_weight_uq').on(t.tag, t.weight),
  ],
);

const s15Authors = sqliteTable('s15_authors', { id: integer().primaryKey() });
const s15Books = sqliteTable('s15_books', {
  id: integer().primaryKey(),
  author_id: integer()
    .notNull()
    .references(() => s15Authors.id, { onDelete: 'cascade' }),
});

const s16v1 = sqliteTable('s16_users', { id: integer().primaryKey(), name: text(), legacy: text() });
const s16v2 = sqliteTable('s16_users', { id: integer().primaryKey(), name: text() });
const s16v3 = sqliteTable('s16_users', { id: integer().primaryKey(), name: text(), age: integer() });
const s16v4 = sqliteTable('s16_users', {
  id: integer().primaryKey(),
  name: text().notNull().default('x'),
  age: integer(),
});

export const SQLITE_CASES: ParityCase[] = [
  {
    name: 'a new table with integer, text, real and json text columns and defaults',
    steps: [{ s13Items }],
    tables: ['s13_items'],
    expected: [
      defineModel('S13Items', {
        table: 's13_items',
        shape: {
          id: z.number().int(),
          name: z.string(),
          price: z.number().nullable(),
          stock: z.number().int().default(0),
          kind: z.string().default('plain'),
          data: z.string().nullable(),
        },
      }),
    ],
  },
  {
    name: 'a composite primary key, a unique column, a composite index and a composite unique index',
    steps: [{ s14Tags }],
    tables: ['s14_tags'],
    expected: [
      defineModel('S14Tags', {
        table: 's14_tags',
        primaryKey: ['post_id', 'tag'],
        shape: {
          post_id: z.number().int(),
          tag: z.string(),
          slug: z.string(),
          weight: z.number().int().nullable(),
        },
        indexes: [
          { fields: ['slug'], unique: true, name: 's14_tags_slug_unique' },
          { fields: ['weight', 'tag'], name: 's14_tags_weight_idx' },
          { fields: ['tag', 'weight'], unique: true, name: 's14_tags_tag_weight_uq' },
        ],
      }),
    ],
  },
  {
    name: 'a foreign key with on delete cascade',
    steps: [{ s15Authors, s15Books }],
    tables: ['s15_authors', 's15_books'],
    expected: [
      defineModel('S15Authors', { table: 's15_authors', shape: { id: z.number().int() } }),
      defineModel('S15Books', {
        table: 's15_books',
        shape: { id: z.number().int(), author_id: z.number().int() },
        foreignKeys: [
          { fields: ['author_id'], references: { model: 'S15Authors', fields: ['id'] }, onDelete: 'cascade' },
        ],
      }),
    ],
  },
  {
    name: 'a column dropped, one added, then one set not null with a default (drizzle-kit rebuilds the table)',
    steps: [{ s16v1 }, { s16v2 }, { s16v3 }, { s16v4 }],
    tables: ['s16_users'],
    expected: [
      defineModel('S16Users', {
        table: 's16_users',
        shape: { id: z.number().int(), name: z.string().default('x'), age: z.number().int().nullable() },
      }),
    ],
  },
];
