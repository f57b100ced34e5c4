// `evolve pull` end to end through the built CLI: a schema written by hand in SQL -> pull -> check --db
// clean -> generate writes nothing -> a model change -> generate -> up -> check --db clean, on each engine.
import { describeEngine, describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PULL_FEATURES, PULL_UNMODELLABLE } from '../../../packages/sql/test/fixtures/pull-schemas.ts';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => cli?.cleanup());

describeSqlEngines(
  'evolve pull',
  (ctx) => {
    const projects: TempProject[] = [];
    const project = (name: string) => {
      const p = tempProject(cli.bin, name);
      p.write('evolve.config.ts', CONFIG);
      projects.push(p);
      return p;
    };
    afterAll(() => {
      for (const p of projects) p.remove();
    });
    const urlOf = () => {
      const { url, dialect } = ctx();
      return dialect === 'sqlite' ? `file:${url}` : (url as string);
    };
    const run = (p: TempProject, ...args: string[]) => p.run(args, { DATABASE_URL: urlOf() });

    it('pulls a hand-written schema into models and a baseline that check --db finds clean, and a model change then goes through generate and up', async () => {
      const { db, dialect } = ctx();
      for (const statement of PULL_FEATURES[dialect]('pa_')) await sql.raw(statement).execute(db);
      const p = project('pull-features');
      const pulled = await run(p, 'pull', '--tables', 'pa_users,pa_posts', '--mark-applied');
      expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
      expect(pulled.stdout).toContain('wrote src/models.ts (2 models: PaPosts, PaUsers)');
      expect(pulled.stdout).toContain('recorded 0001_baseline as applied');
      expect(pulled.stdout).not.toContain('not modelled');
      expect(p.exists('migrations/0001_baseline.ts')).toBe(true);

      const check = await run(p, 'check', '--db');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const files = p.files().map((f) => [f, p.read(f)]);
      const again = await run(p, 'generate');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('No changes');
      expect(p.files().map((f) => [f, p.read(f)])).toEqual(files);

      const models = p.read('src/models.ts');
      p.write(
        'src/models.ts',
        models.replace(
          /(defineModel\('PaUsers', \{[\s\S]*?shape: \{\n)/,
          '$1    bio: z.string().max(300).nullable(),\n',
        ),
      );
      const generated = await run(p, 'generate', 'add_bio');
      expect(generated.code, generated.stdout + generated.stderr).toBe(0);
      expect(generated.stdout).toContain('0002_add_bio');
      const up = await run(p, 'up');
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout).toContain('0002_add_bio');
      expect(up.stdout).not.toContain('0001_baseline');
      const after = await run(p, 'check', '--db');
      expect(after.code, after.stdout + after.stderr).toBe(0);
    });

    it('pulls only the --tables asked for, and notes a foreign key to a table left out', async () => {
      const p = project('pull-tables');
      const pulled = await run(p, 'pull', '--tables', 'pa_posts', '--json');
      expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
      const result = JSON.parse(pulled.stdout);
      expect(result.models).toEqual([{ name: 'PaPosts', table: 'pa_posts' }]);
      expect(result.markedApplied).toBe(false);
      expect(result.notes).toEqual([
        expect.objectContaining({
          table: 'pa_posts',
          kind: 'skipped',
          reason: expect.stringContaining('references pa_users, which is not pulled'),
        }),
      ]);
    });

    it('lists what cannot be modelled with its table and reason', async () => {
      const { db, dialect } = ctx();
      for (const statement of PULL_UNMODELLABLE[dialect]('pb_')) await sql.raw(statement).execute(db);
      const p = project('pull-notes');
      const pulled = await run(p, 'pull', '--tables', 'pb_log', 'pb_items');
      expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
      expect(pulled.stdout).toContain('not modelled');
      expect(pulled.stdout).toMatch(/^ {2}pb_log: not pulled: it has no primary key/m);
      expect(pulled.stdout).toMatch(/^ {2}pb_items\.pb_items_touch: a trigger/m);
      expect(p.read('src/models.ts')).toContain('// - pb_items.pb_items_touch: a trigger');
    });

    it('refuses to overwrite a models file (unless --force) or a history, with WOULD_OVERWRITE', async () => {
      const p = project('pull-refuse');
      p.write('src/models.ts', '// mine\n');
      const refused = await run(p, 'pull', '--tables', 'pa_users');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error WOULD_OVERWRITE: .*--force/m);
      expect(p.read('src/models.ts')).toBe('// mine\n');
      const forced = await run(p, 'pull', '--tables', 'pa_users', '--force');
      expect(forced.code, forced.stdout + forced.stderr).toBe(0);
      expect(p.read('src/models.ts')).toContain("defineModel('PaUsers'");
      const again = await run(p, 'pull', '--tables', 'pa_users', '--force');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^error WOULD_OVERWRITE: the migrations folder already has migrations/m);
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);

it('fails with CONNECTION_FAILED and the redacted URL on an unreachable database', async () => {
  const p = tempProject(cli.bin, 'pull-unreachable');
  try {
    p.write('evolve.config.ts', CONFIG);
    const result = await p.run(['pull'], { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/app' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error CONNECTION_FAILED: /m);
    expect(result.stderr).not.toContain('secret');
    expect(p.exists('src/models.ts')).toBe(false);
  } finally {
    p.remove();
  }
});

describeEngine('mongodb', 'evolve pull --sample', (status) => {
  let client: MongoClient;
  const name = `evolve_cli_pull_${Date.now().toString(36)}`;
  beforeAll(async () => {
    client = new MongoClient(status.url!, { serverSelectionTimeoutMS: 3000 });
    await client.connect();
  });
  afterAll(async () => {
    await client
      ?.db(name)
      .dropDatabase()
      .catch(() => {});
    await client?.close();
  });

  it('samples the collections into document models and a baseline that check --db finds clean, and a model change then goes through generate and up', async () => {
    const db = client.db(name);
    await db.collection('notes').insertMany([
      { slug: 'a', text: 'first', tags: ['x'] },
      { slug: 'b', text: 'second', pinned: true },
    ]);
    await db.collection('notes').createIndex({ slug: 1 }, { unique: true, name: 'notes_slug_key' });
    const p = tempProject(cli.bin, 'pull-mongo');
    try {
      const url = `${status.url!.replace(/\/$/, '')}/${name}`;
      p.write(
        'evolve.config.mjs',
        `export default { schema: './src/models.ts', database: { url: '${url}' } };\n`,
      );
      const pulled = await p.run(['pull', '--sample', '50', '--mark-applied']);
      expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
      expect(pulled.stdout).toContain('wrote src/models.ts (1 model: Notes)');
      const models = p.read('src/models.ts');
      expect(models).toContain('tags: z.array(z.string()).optional()');
      expect(models).toContain('pinned: z.boolean().optional()');
      const check = await p.run(['check', '--db']);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const again = await p.run(['generate']);
      expect(again.stdout).toContain('No changes');
      p.write('src/models.ts', models.replace('indexes: [\n', "indexes: [\n    { fields: ['text'] },\n"));
      const generated = await p.run(['generate', 'text_index']);
      expect(generated.code, generated.stdout + generated.stderr).toBe(0);
      const up = await p.run(['up']);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout).toContain('0002_text_index');
      const after = await p.run(['check', '--db']);
      expect(after.code, after.stdout + after.stderr).toBe(0);
      expect((await db.collection('notes').listIndexes().toArray()).map((i) => i.name).sort()).toEqual([
        '_id_',
        'notes_slug_key',
        'notes_text_idx',
      ]);
    } finally {
      p.remove();
    }
  });
});
