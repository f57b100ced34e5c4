// Introspection parity with drizzle-kit (issue 14, item 7): each case's schema history is applied with the
// migrations drizzle-kit itself generates, then `pullSchema` must give models whose snapshot equals the evolve
// models written by hand for the same schema.
import { defineSchema, toSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { pullSchema } from '@evolve/sql';
import {
  generateDrizzleJson,
  generateMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from 'drizzle-kit/api';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { type ParityCase, PG_CASES } from './drizzle-pg-cases.ts';
import { SQLITE_CASES } from './drizzle-sqlite-cases.ts';

/** Applies each step's schema with the statements drizzle-kit generates from the one before. */
async function applyWithDrizzleKit(
  db: Kysely<any>,
  dialect: 'postgres' | 'sqlite',
  steps: ParityCase['steps'],
) {
  if (dialect === 'postgres') {
    let prev = generateDrizzleJson({});
    for (const step of steps) {
      const next = generateDrizzleJson(step, prev.id);
      for (const statement of await generateMigration(prev, next)) await sql.raw(statement).execute(db);
      prev = next;
    }
    return;
  }
  let prev = await generateSQLiteDrizzleJson({});
  for (const step of steps) {
    const next = await generateSQLiteDrizzleJson(step, prev.id);
    for (const statement of await generateSQLiteMigration(prev, next)) await sql.raw(statement).execute(db);
    prev = next;
  }
}

function parity(ctx: () => { db: Kysely<any> }, dialect: 'postgres' | 'sqlite', cases: ParityCase[]) {
  for (const c of cases) {
    it(`${c.name}: the pulled models equal the ones written for it`, async () => {
      const { db } = ctx();
      await applyWithDrizzleKit(db, dialect, c.steps);
      const pulled = await pullSchema(db, { tables: c.tables });
      const expected = toSnapshot(defineSchema(c.expected));
      const notes = pulled.notes.map((n) => `${n.table}${n.item ? `.${n.item}` : ''}: ${n.reason}`);
      expect(notes).toEqual((c.notes ?? []).map((re) => expect.stringMatching(re)));
      const withoutOrder = (s: typeof expected) =>
        Object.fromEntries(Object.entries(s.models).map(([k, { fieldOrder: _, ...m }]) => [k, m]));
      expect(withoutOrder(pulled.snapshot)).toEqual(withoutOrder(expected));
      expect(pulled.snapshot.hash).toBe(expected.hash);
    });
  }
}

describeSqlEngines('drizzle-kit parity (PostgreSQL)', (ctx) => parity(ctx, 'postgres', PG_CASES), {
  engines: ['pglite', 'postgres'],
});

describeSqlEngines('drizzle-kit parity (SQLite)', (ctx) => parity(ctx, 'sqlite', SQLITE_CASES), {
  engines: ['sqlite'],
});
