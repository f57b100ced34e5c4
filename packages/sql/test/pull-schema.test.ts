import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPulledSchema, diff, EvolveError, toSnapshot } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { detectDrift, markApplied, planSqlMigration, pullSchema, status } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';
import { PULL_FEATURES, PULL_UNMODELLABLE } from './fixtures/pull-schemas.ts';

const TMP = fileURLToPath(new URL('./.tmp-pull', import.meta.url));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Imports a models file's source as the CLI would load it, and returns its snapshot. */
async function snapshotOfSource(source: string, name: string) {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `${name}-${Date.now()}.ts`);
  writeFileSync(file, source);
  return toSnapshot((await import(file)).default);
}

describeSqlEngines('pullSchema', (ctx) => {
  it('pulls every supported feature into models that show no drift, and a model change then applies without drift', async () => {
    const { db, dialect } = ctx();
    for (const statement of PULL_FEATURES[dialect]('pa_')) await sql.raw(statement).execute(db);
    const pulled = await pullSchema(db, { tables: ['pa_users', 'pa_posts'] });
    expect(pulled.notes).toEqual([]);
    expect(Object.keys(pulled.snapshot.models).sort()).toEqual(['PaPosts', 'PaUsers']);
    const users = pulled.snapshot.models.PaUsers!;
    expect(users.table).toBe('pa_users');
    expect(users.fields.email?.type).toEqual(
      dialect === 'sqlite' ? { kind: 'string', unbounded: true } : { kind: 'string', maxLength: 200 },
    );
    expect(users.fields.name?.nullable).toBe(true);
    expect(users.fields.age?.default).toEqual({ value: 18 });
    expect(users.fields.note?.default).toEqual({ value: "it's" });
    expect(users.fields.role?.type).toEqual({ kind: 'enum', values: ['admin', 'member', "it's"] });
    expect(users.indexes).toEqual([{ name: 'pa_users_email_key', fields: ['email'], unique: true }]);
    const posts = pulled.snapshot.models.PaPosts!;
    expect(posts.primaryKey).toEqual(['author_id', 'slug']);
    expect(posts.foreignKeys.map((f) => [f.fields, f.references, f.onDelete])).toEqual([
      [['author_id'], { model: 'PaUsers', fields: ['id'] }, 'cascade'],
    ]);
    expect(posts.indexes.map((i) => [i.fields, i.unique])).toEqual(
      expect.arrayContaining([
        [['author_id', 'title'], false],
        [['title'], true],
      ]),
    );
    const ours = (t: string) => !t.startsWith('pa_');
    expect(await detectDrift(db, pulled.snapshot, { ignoreTables: ours })).toEqual([]);
    // the models file says exactly what the snapshot holds
    expect((await snapshotOfSource(pulled.source, dialect)).hash).toBe(pulled.snapshot.hash);

    // a model change on top of the pulled models: generate-like diff, apply, no drift
    const changed = pulled.models.map((m) =>
      m.name === 'PaUsers'
        ? {
            ...m,
            fields: [
              ...m.fields,
              ['bio', { base: 'string', max: 300, nullable: true }] as (typeof m.fields)[0],
            ],
            indexes: [...m.indexes, { fields: ['age', 'email'], unique: false }],
          }
        : m,
    );
    const next = toSnapshot(buildPulledSchema(changed));
    await runCompiled(
      db,
      planSqlMigration(diff(pulled.snapshot, next), { dialect, before: pulled.snapshot }),
    );
    expect(await detectDrift(db, next, { ignoreTables: ours })).toEqual([]);
  });

  it('lists what the models cannot hold with its table and reason, and pulls the rest', async () => {
    const { db, dialect } = ctx();
    for (const statement of PULL_UNMODELLABLE[dialect]('pb_')) await sql.raw(statement).execute(db);
    const pulled = await pullSchema(db, { tables: ['pb_log', 'pb_items'] });
    const notes = pulled.notes.map((n) => `${n.table}${n.item ? `.${n.item}` : ''}: ${n.reason}`);
    expect(Object.keys(pulled.snapshot.models)).toEqual(['PbItems']);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pb_log: not pulled: it has no primary key/),
        expect.stringMatching(/^pb_items\.pb_items_touch: a trigger/),
        expect.stringMatching(/^pb_items.*CHECK|^pb_items.*constraint .* not an enum list/i),
        expect.stringMatching(/^pb_items\.made: not exactly modelled .*default/),
        expect.stringMatching(/^pb_items\.pb_items_(big|prefix): a (partial|prefix) index/),
      ]),
    );
    expect(pulled.source).toContain('// - pb_log: not pulled: it has no primary key');
    if (dialect === 'mysql') {
      // MySQL's own ENUM type keeps its values in the model; its type differs from evolve's varchar + CHECK
      expect(pulled.snapshot.models.PbItems?.fields.state?.type).toEqual({
        kind: 'enum',
        values: ['new', 'done'],
      });
      expect(notes).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^pb_items\.state: not exactly modelled .*enum\('new','done'\)/),
        ]),
      );
    }
  });

  it('pulls an identity / auto-increment integer key as a generated key: no note, no drift, inserts without the key work', async () => {
    const { db, dialect } = ctx();
    const create = {
      postgres:
        'create table pg_gen (id integer generated by default as identity primary key, name text not null)',
      mysql: 'create table pg_gen (id int not null auto_increment primary key, name longtext not null)',
      sqlite: 'create table pg_gen (id integer primary key, name text not null)',
    }[dialect];
    await sql.raw(create).execute(db);
    const pulled = await pullSchema(db, { tables: ['pg_gen'] });
    expect(pulled.notes).toEqual([]);
    const id = pulled.snapshot.models.PgGen?.fields.id;
    // SQLite fills every INTEGER PRIMARY KEY (the rowid alias), marked or not: evolve leaves it unmarked there
    expect(id?.generated).toBe(dialect === 'sqlite' ? undefined : 'identity');
    if (dialect !== 'sqlite') expect(pulled.source).toContain(".meta({ generated: 'identity' })");
    expect(await detectDrift(db, pulled.snapshot, { ignoreTables: (t) => t !== 'pg_gen' })).toEqual([]);
    expect((await snapshotOfSource(pulled.source, `gen-${dialect}`)).hash).toBe(pulled.snapshot.hash);
    await db.insertInto('pg_gen').values({ name: 'a' }).execute();
    expect((await db.selectFrom('pg_gen').select('id').execute()).map((r) => Number(r.id))).toEqual([1]);
  });

  it('refuses a --tables name the database does not have, with NOT_FOUND and the name', async () => {
    const { db } = ctx();
    const error = await pullSchema(db, { tables: ['pc_missing'] }).catch((e) => e);
    expect(error).toBeInstanceOf(EvolveError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', path: 'pc_missing' });
  });

  it('markApplied records a baseline once, so the runner sees it applied', async () => {
    const { db } = ctx();
    const models = [
      {
        name: 'PdThing',
        table: 'pd_thing',
        primaryKey: ['id'],
        fields: [['id', { base: 'int' as const, nullable: false }]] as [
          string,
          { base: 'int'; nullable: false },
        ][],
        indexes: [],
        foreignKeys: [],
      },
    ];
    const snapshot = toSnapshot(buildPulledSchema(models));
    const migration = {
      id: '0001_baseline',
      from: 'empty',
      to: snapshot.hash,
      changes: [],
    } as unknown as Parameters<typeof markApplied>[1];
    expect(await markApplied(db, migration)).toBe(true);
    expect(await markApplied(db, migration)).toBe(false);
    const s = await status(db, { migrations: [migration] });
    expect(s.applied.map((a) => a.id)).toEqual(['0001_baseline']);
    expect(s.modified).toEqual([]);
  });
});
