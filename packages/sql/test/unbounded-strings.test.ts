import {
  defineModel,
  defineSchema,
  diff,
  type EvolveError,
  emptySnapshot,
  type ModelSnapshot,
  makeSnapshot,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { detectDrift, planSqlMigration } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';

const note = (
  table: string,
  extra: z.ZodRawShape = {},
  indexes: { fields: string[]; unique?: boolean }[] = [],
) =>
  toSnapshot(
    defineSchema([
      defineModel('Note', {
        table,
        shape: { id: z.number().int(), title: z.string().max(40), body: z.string(), ...extra },
        indexes,
      }),
    ]),
  );

/** The snapshot an older evolve wrote for the same models: strings without a max length carry no mark. */
function legacy(snapshot: Snapshot): Snapshot {
  const models: Record<string, ModelSnapshot> = structuredClone(snapshot.models) as never;
  for (const model of Object.values(models)) {
    for (const field of Object.values(model.fields)) {
      if (field.type.kind === 'string') delete field.type.unbounded;
    }
  }
  return makeSnapshot(models);
}

const long = 'x'.repeat(299) + 'é';

describeSqlEngines('unbounded strings', (ctx) => {
  const own = (prefix: string) => (name: string) => !name.startsWith(prefix);

  it('holds a 300-character value in a string column without .max(), and the database matches the snapshot', async () => {
    const { db, dialect } = ctx();
    const snap = note('us_notes');
    await runCompiled(db, planSqlMigration(diff(emptySnapshot(), snap), { dialect }));
    await db.insertInto('us_notes').values({ id: 1, title: 't', body: long }).execute();
    const rows = await db.selectFrom('us_notes').select('body').execute();
    expect(rows).toEqual([{ body: long }]);
    expect(await detectDrift(db, snap, { ignoreTables: own('us_notes') })).toEqual([]);
  });

  it('leaves a column created from an older snapshot as it was (no drift), and widens it through the migration the diff produces', async () => {
    const { db, dialect } = ctx();
    const next = note('us_old');
    const old = legacy(next);
    expect(old.hash).not.toBe(next.hash);
    await runCompiled(db, planSqlMigration(diff(emptySnapshot(), old), { dialect }));
    // the older snapshot still compiles to what is in the database
    expect(await detectDrift(db, old, { ignoreTables: own('us_old') })).toEqual([]);

    const upgrade = diff(old, next);
    expect(upgrade.changes.map((c) => `${c.kind} ${c.model}.${c.path.join('.')} ${c.risk}`)).toEqual([
      'changeType Note.body safe',
    ]);
    const steps = planSqlMigration(upgrade, { dialect, before: old });
    const statements = steps.flatMap((s) => s.statements.map((q) => q.sql));
    if (dialect === 'mysql') expect(statements.join('\n')).toMatch(/modify column `body` longtext not null/i);
    else expect(statements).toEqual([]); // text already on PostgreSQL and SQLite
    await runCompiled(db, steps);
    await db.insertInto('us_old').values({ id: 1, title: 't', body: long }).execute();
    expect(await db.selectFrom('us_old').select('body').execute()).toEqual([{ body: long }]);
    expect(await detectDrift(db, next, { ignoreTables: own('us_old') })).toEqual([]);
  });

  it('refuses a string column without .max() in an index or key on MySQL, naming the field and what to do', async () => {
    const { dialect } = ctx();
    const indexed = note('us_idx', {}, [{ fields: ['body'], unique: true }]);
    const plan = () => planSqlMigration(diff(emptySnapshot(), indexed), { dialect });
    if (dialect !== 'mysql') {
      expect(plan().length).toBeGreaterThan(0);
      return;
    }
    expect(plan).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_CHANGE',
        path: 'Note.body',
        message: expect.stringMatching(
          /longtext on MySQL.*unique index us_idx_body_key.*\.max\(n\) with n <= 768/s,
        ),
      }),
    );
    const keyed = toSnapshot(
      defineSchema([
        defineModel('Tag', { table: 'us_tags', primaryKey: 'slug', shape: { slug: z.string() } }),
      ]),
    );
    expect(() => planSqlMigration(diff(emptySnapshot(), keyed), { dialect })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CHANGE', path: 'Tag.slug' }),
    );
  });
});

describe('unbounded strings: an indexed column of an older snapshot', () => {
  it('is refused on MySQL when the diff would make it longtext, and .max() is the way out', () => {
    const indexes = [{ fields: ['body'] }];
    const old = legacy(note('us_legacy', {}, indexes));
    let error: EvolveError | undefined;
    try {
      planSqlMigration(diff(old, note('us_legacy', {}, indexes)), { dialect: 'mysql', before: old });
    } catch (e) {
      error = e as EvolveError;
    }
    expect(error).toMatchObject({ code: 'UNSUPPORTED_CHANGE', path: 'Note.body' });
    const bounded = toSnapshot(
      defineSchema([
        defineModel('Note', {
          table: 'us_legacy',
          shape: { id: z.number().int(), title: z.string().max(40), body: z.string().max(255) },
          indexes,
        }),
      ]),
    );
    const steps = planSqlMigration(diff(old, bounded), { dialect: 'mysql', before: old });
    // varchar(255) both ways: the column's definition only, in place
    const text = steps.flatMap((s) => s.statements.map((q) => q.sql)).join('\n');
    expect(text).toMatch(/modify column `body` varchar\(255\) not null, algorithm=instant/i);
    expect(text).not.toMatch(/longtext/);
  });
});
