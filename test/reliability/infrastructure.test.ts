import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dumpDatabase } from './support/dump-database.ts';
import { runChild } from './support/run-child.ts';
import { seededRandom } from './support/seeded-random.ts';
import { stableStringify } from './support/stable-stringify.ts';

describe('reliability infrastructure', () => {
  it('seeded random repeats its sequence for a seed and forks stably', () => {
    const a = seededRandom(1234);
    const b = seededRandom(1234);
    const xs = Array.from({ length: 20 }, () => a.int(0, 1000));
    expect(Array.from({ length: 20 }, () => b.int(0, 1000))).toEqual(xs);
    expect(seededRandom(1234).fork('x').next()).toBe(seededRandom(1234).fork('x').next());
    expect(seededRandom(1234).fork('x').next()).not.toBe(seededRandom(1234).fork('y').next());
    expect(seededRandom(9).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('stable stringify ignores key order and renders dates, buffers and bigints', () => {
    expect(stableStringify({ b: 1, a: [new Date(0), Buffer.from('hi'), 5n] })).toBe(
      stableStringify({ a: [new Date(0), Buffer.from('hi'), 5n], b: 1 }),
    );
    expect(stableStringify({ a: Buffer.from('hi') })).toBe(`{"a":x'6869'}`);
  });

  it('child runner collects output and the exit code of a child that ends by itself', async () => {
    const r = await runChild('test/reliability/fixtures/ticker-child.ts', { args: ['3', '4'] });
    expect(r).toMatchObject({ code: 4, killed: false, timedOut: false });
    expect(r.stdout).toContain('tick 3\ndone');
    expect(r.stderr).toContain('bye');
  });

  it('child runner kills with SIGKILL when the child prints a marker', async () => {
    const r = await runChild('test/reliability/fixtures/ticker-child.ts', {
      args: ['1000'],
      kill: { marker: 'tick 5' },
    });
    expect(r.killed).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('tick 9');
  });

  it('child runner kills after a delay and on a timeout', async () => {
    const delayed = await runChild('test/reliability/fixtures/ticker-child.ts', {
      args: ['1000'],
      kill: { marker: 'tick 1', afterMs: 100 },
    });
    expect(delayed).toMatchObject({ killed: true, signal: 'SIGKILL' });
    const slow = await runChild('test/reliability/fixtures/ticker-child.ts', {
      args: ['1000'],
      timeoutMs: 1500,
    });
    expect(slow).toMatchObject({ timedOut: true, killed: false, signal: 'SIGKILL' });
  });
});

describeSqlEngines(
  'database dump',
  (ctx) => {
    it('changes when data, a default, nullability, an index or a constraint changes, and only then', async () => {
      const { db, dialect } = ctx();
      await db.schema
        .createTable('dump_probe')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('label', 'varchar(50)', (c) => c.defaultTo('x'))
        .addColumn('n', 'integer')
        .execute();
      await db
        .insertInto('dump_probe')
        .values([
          { id: 2, label: 'b', n: 1 },
          { id: 1, label: 'a', n: null },
        ])
        .execute();
      const base = await dumpDatabase(db, dialect);
      expect(await dumpDatabase(db, dialect)).toBe(base);
      expect(base).toContain('dump_probe (2 rows)');

      const changes: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        [
          'a value',
          () => db.updateTable('dump_probe').set({ n: 5 }).where('id', '=', 1).execute(),
          () => db.updateTable('dump_probe').set({ n: null }).where('id', '=', 1).execute(),
        ],
        [
          'an index',
          () => db.schema.createIndex('dump_probe_n_idx').on('dump_probe').column('n').execute(),
          () =>
            dialect === 'mysql'
              ? db.schema.dropIndex('dump_probe_n_idx').on('dump_probe').execute()
              : db.schema.dropIndex('dump_probe_n_idx').execute(),
        ],
        [
          'a table',
          () => db.schema.createTable('dump_extra').addColumn('id', 'integer').execute(),
          () => db.schema.dropTable('dump_extra').execute(),
        ],
      ];
      if (dialect !== 'sqlite') {
        changes.push(
          [
            'a default',
            () =>
              db.schema
                .alterTable('dump_probe')
                .alterColumn('label', (c) => c.setDefault('y'))
                .execute(),
            () =>
              db.schema
                .alterTable('dump_probe')
                .alterColumn('label', (c) => c.setDefault('x'))
                .execute(),
          ],
          [
            'a unique constraint',
            () =>
              db.schema
                .alterTable('dump_probe')
                .addUniqueConstraint('dump_probe_label_key', ['label'])
                .execute(),
            () =>
              dialect === 'mysql'
                ? sql`alter table dump_probe drop index dump_probe_label_key`.execute(db)
                : db.schema.alterTable('dump_probe').dropConstraint('dump_probe_label_key').execute(),
          ],
        );
      }
      for (const [what, change, undo] of changes) {
        await change();
        expect(await dumpDatabase(db, dialect), `the dump shows ${what}`).not.toBe(base);
        await undo();
        expect(await dumpDatabase(db, dialect), `the dump is back after undoing ${what}`).toBe(base);
      }
      await db.schema.dropTable('dump_probe').execute();
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
