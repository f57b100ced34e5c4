import { spawn } from 'node:child_process';
import { describeEngine } from '@evolve/harness';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';

const notes = (shape: string, indexes: string) => `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const Note = defineModel('Note', {
  target: 'document',
  table: 'notes',
  shape: { ${shape} },
  indexes: [${indexes}],
});
export default defineSchema([Note]);
`;

const V1 = notes(
  'slug: z.string(), text: z.string(), author: z.string()',
  "{ fields: ['slug'], unique: true }, { fields: ['author', 'slug'] }",
);
const V2 = notes(
  "slug: z.string(), body: z.string().meta({ renamedFrom: 'text' }), author: z.string(), tags: z.array(z.string()).default([])",
  "{ fields: ['slug'], unique: true }, { fields: ['author'] }",
);

const indexes = async (db: Db, name: string) =>
  (await db.collection(name).listIndexes().toArray())
    .filter((i) => i.name !== '_id_')
    .map((i) => `${Object.keys(i.key).join(',')}${i.unique ? ' unique' : ''}`)
    .sort();

/** Runs the CLI and interrupts it (SIGINT, as Ctrl-C) once its output shows a sweep batch finished. */
function interruptedSweep(
  bin: string,
  cwd: string,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    const seen = (chunk: Buffer) => {
      out += chunk.toString();
      if (!sent && /\d+\/\d+ documents/.test(out)) sent = child.kill('SIGINT');
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describeEngine('mongodb', 'evolve on a mongodb:// database', (status) => {
  let cli: Awaited<ReturnType<typeof buildTestCli>>;
  let client: MongoClient;
  const projects: TempProject[] = [];
  const databases: string[] = [];
  const database = (label: string) => {
    const name = `evolve_cli_${label}_${Date.now().toString(36)}`;
    databases.push(name);
    return { name, url: `${status.url!.replace(/\/$/, '')}/${name}` };
  };
  beforeAll(async () => {
    cli = await buildTestCli();
    client = new MongoClient(status.url!, { serverSelectionTimeoutMS: 3000 });
    await client.connect();
  });
  afterAll(async () => {
    for (const name of databases)
      await client
        .db(name)
        .dropDatabase()
        .catch(() => {});
    await client?.close();
    for (const p of projects) p.remove();
    cli?.cleanup();
  });

  it('up creates collections and indexes, status shows versions, sweep resumes, check --db finds index drift, down reverts', async () => {
    const { name, url } = database('main');
    const db = client.db(name);
    const ferret = (await db.admin().command({ buildInfo: 1 })).ferretdbVersion !== undefined;
    const p = tempProject(cli.bin, 'mongo');
    projects.push(p);
    p.write(
      'evolve.config.mjs',
      `export default { schema: './src/models.ts', database: { url: '${url}' } };\n`,
    );
    p.write('src/models.ts', V1);
    expect((await p.run(['generate', 'notes'])).code).toBe(0);
    const up1 = await p.run(['up']);
    expect(up1.code, up1.stderr).toBe(0);
    expect(up1.stdout).toContain('applied 1 migration(s): 0001_notes');
    // FerretDB has no collection validators: up says so instead of claiming them
    if (ferret)
      expect(up1.stderr).toMatch(
        /^warning VALIDATORS_UNSUPPORTED: FerretDB [\d.]+ does not support collection validators/m,
      );
    else expect(up1.stderr).not.toContain('VALIDATORS_UNSUPPORTED');
    expect(await indexes(db, 'notes')).toEqual(['author,slug', 'slug unique']);
    await db
      .collection('notes')
      .insertMany(Array.from({ length: 7 }, (_, i) => ({ slug: `n${i}`, text: `note ${i}`, author: 'ada' })));
    await expect(
      db.collection('notes').insertOne({ slug: 'n0', text: 'dup', author: 'x' }),
    ).rejects.toMatchObject({
      code: 11000,
    });

    p.write('src/models.ts', V2);
    // plan --cost counts the stored documents in the live store and estimates at its sweep rate
    const cost = await p.run(['plan', '--cost', '--json']);
    expect(cost.code, cost.stderr).toBe(0);
    const { documentCost } = JSON.parse(cost.stdout);
    expect(documentCost).toMatchObject({
      documentsFrom: 'live count',
      store: ferret ? 'ferretdb' : 'mongodb',
      models: [{ model: 'Note', documents: 7 }],
    });
    expect(documentCost.models[0].upgradeMicros).toBeGreaterThan(0);
    if (ferret) expect(documentCost.models[0].sweepSeconds).toBeGreaterThan(0);
    expect((await p.run(['generate', 'note_body'])).code).toBe(0);
    const up2 = await p.run(['up', '--json']);
    expect(up2.code, up2.stderr).toBe(0);
    expect(JSON.parse(up2.stdout).applied).toMatchObject([
      {
        id: '0002_note_body',
        status: 'Success',
        database: 'documents',
        steps: [
          'drop index notes_author_slug_idx (author, slug) on notes',
          'create index notes_author_idx (author) on notes',
        ],
      },
    ]);
    expect(await indexes(db, 'notes')).toEqual(['author', 'slug unique']);
    expect((await p.run(['up'])).stdout).toContain('Nothing to apply');

    const before = await p.run(['status']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('2 applied, 0 pending');
    expect(before.stdout).toMatch(
      /Note \(notes\): 7 document\(s\)\n {4}version 1: 7 100% \(7 without a version field\)/,
    );

    const interrupted = await interruptedSweep(cli.bin, p.dir, [
      'sweep',
      'Note',
      '--batch-size',
      '2',
      '--rate',
      '4',
    ]);
    expect(interrupted.out).toContain('interrupted Note');
    expect(interrupted.code).toBe(1);
    const midway = await p.run(['status', '--json']);
    const model = JSON.parse(midway.stdout).documents.models[0];
    expect(model.checkpoints).toMatchObject([{ key: 'notes:Note@2' }]);
    expect(model.versions.find((v: { version: number }) => v.version === 2)?.count).toBeGreaterThanOrEqual(2);
    const resumed = await p.run(['sweep', 'Note', '--batch-size', '2']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(
      /swept Note: \d+ upgraded, 0 already current, 0 failed \(resumed from the checkpoint\)/,
    );
    const after = JSON.parse((await p.run(['status', '--json'])).stdout).documents.models[0];
    expect(after).toMatchObject({ total: 7, versions: [{ version: 2, count: 7 }], checkpoints: [] });
    expect(await db.collection('notes').findOne({ slug: 'n3' })).toMatchObject({
      body: 'note 3',
      tags: [],
      _v: 2,
      _rev: 1,
    });

    expect((await p.run(['check', '--db'])).code).toBe(0);
    await db.collection('notes').dropIndex('notes_author_idx');
    const drift = await p.run(['check', '--db', '--format', 'json']);
    expect(drift.code).toBe(1);
    expect(JSON.parse(drift.stdout).findings).toMatchObject([
      {
        code: 'DRIFT',
        path: 'notes.notes_author_idx',
        message: expect.stringContaining('index notes_author_idx (author) is missing'),
      },
    ]);
    await db.collection('notes').createIndex({ author: 1 }, { name: 'notes_author_idx' });

    const down = await p.run(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('reverted 1 migration(s): 0002_note_body');
    expect(await indexes(db, 'notes')).toEqual(['author,slug', 'slug unique']);
    expect((await p.run(['status'])).stdout).toContain('1 applied, 1 pending');
  });

  it('keeps document models in MongoDB beside a SQL database: both journals, one up', async () => {
    const { name, url } = database('beside');
    const p = tempProject(cli.bin, 'mongo-beside');
    projects.push(p);
    p.write(
      'evolve.config.mjs',
      `export default { schema: './src/models.ts', database: { url: 'file:./app.db', documents: '${url}' } };\n`,
    );
    p.write(
      'src/models.ts',
      `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const User = defineModel('User', { table: 'users', shape: { id: z.number().int(), email: z.string() } });
export const Event = defineModel('Event', {
  target: 'document',
  table: 'events',
  shape: { type: z.string(), at: z.string() },
  indexes: [{ fields: ['type', 'at'] }],
});
export default defineSchema([User, Event]);
`,
    );
    expect((await p.run(['generate', 'init'])).code).toBe(0);
    const up = await p.run(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('applied 1 migration(s) on the SQL database: 0001_init');
    expect(up.stdout).toContain('applied 1 migration(s) on the documents database: 0001_init');
    expect(await indexes(client.db(name), 'events')).toEqual(['type,at']);
    const s = JSON.parse((await p.run(['status', '--json'])).stdout);
    expect(s).toMatchObject({
      dialect: 'sqlite',
      applied: ['0001_init'],
      documents: { journal: { applied: ['0001_init'] } },
    });
  });

  it('refuses sql models on a MongoDB-only configuration, naming what to set', async () => {
    const { url } = database('refuse');
    const p = tempProject(cli.bin, 'mongo-refuse');
    projects.push(p);
    p.write(
      'evolve.config.mjs',
      `export default { schema: './src/models.ts', database: { url: '${url}' } };\n`,
    );
    p.write(
      'src/models.ts',
      `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export default defineSchema([defineModel('User', { table: 'users', shape: { id: z.number().int() } })]);
`,
    );
    expect((await p.run(['generate', 'init'])).code).toBe(0);
    const up = await p.run(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(
      /INVALID_CONFIG: the sql models User need a SQL database, but database.url is MongoDB/,
    );
  });
});
