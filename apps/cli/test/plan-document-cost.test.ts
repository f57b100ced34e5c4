// `evolve plan --cost` for document models (issue 13, "the cost of each change"): "lazy: no downtime, +N µs per
// read (measured upgrade cost), sweep of M documents ~T", with M counted in the live store. Checked against a
// real `evolve sweep` of the same migration on 50k stored documents (SQLite JSON store): M exact, T within 10x.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanResult } from '../src/index.ts';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { noteModels } from './helpers/models.ts';
import { startNotesProject } from './helpers/notes-project.ts';

const DOCS = 50_000;
let cli: Awaited<ReturnType<typeof buildTestCli>>;
let p: TempProject;
beforeAll(async () => {
  cli = await buildTestCli();
  p = tempProject(cli.bin, 'plan-document-cost');
}, 120_000);
afterAll(() => {
  p?.remove();
  cli?.cleanup();
});

const SEED = `import { createDocumentTable, createSqlDocumentStore } from '@evolve/document';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database('evolve.db') }) });
await createDocumentTable(db, { table: 'notes' });
const store = createSqlDocumentStore(db, { table: 'notes' });
for (let i = 0; i < ${DOCS}; i += 1000) {
  await store.insert(Array.from({ length: 1000 }, (_, j) => ({ _id: 'n' + String(i + j).padStart(6, '0'), text: 'note ' + (i + j) })));
}
await db.destroy();
`;

describe('evolve plan --cost on document models', () => {
  it('shows the measured upgrade cost per read and a sweep estimate within 10x of a real sweep', async () => {
    await startNotesProject(p, { seed: SEED });

    p.write(
      'src/models.ts',
      noteModels(
        "_id: z.string(), body: z.string().meta({ renamedFrom: 'text' }), tags: z.array(z.string()).default([])",
      ),
    );
    const plain = await p.run(['plan']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('Cost of document models');

    const text = await p.run(['plan', '--cost']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'Cost of document models on sqlite (estimates: documents counted in the live store, sweep at',
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `Note: lazy: no downtime, \\+[\\d.]+ µs per read \\(measured upgrade cost\\), sweep of ${DOCS} documents ~[\\d.]+ m?s`,
      ),
    );
    console.log(text.stdout.slice(text.stdout.indexOf('Cost of document models')));

    const json = await p.run(['plan', '--cost', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { documentCost } = JSON.parse(json.stdout) as PlanResult;
    expect(documentCost).toMatchObject({ documentsFrom: 'live count', store: 'sqlite' });
    const [note] = documentCost!.models;
    expect(note).toMatchObject({ model: 'Note', documents: DOCS, sampledFrom: 'synthetic', todos: [] });
    expect(note!.upgradeMicros).toBeGreaterThan(0);
    expect(note!.upgradeMicros).toBeLessThan(1000);

    expect((await p.run(['generate', 'note_body'])).code).toBe(0);
    expect((await p.run(['up'])).code).toBe(0);
    const started = Date.now();
    const sweep = await p.run(['sweep', 'Note', '--json']);
    const measured = (Date.now() - started) / 1000;
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ upgraded: DOCS, failed: 0 });
    const ratio = note!.sweepSeconds! / measured;
    console.log(
      `[plan-document-cost] sweep of ${DOCS}: estimated ${note!.sweepSeconds!.toFixed(2)} s, measured ${measured.toFixed(2)} s (CLI process included), ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThan(10);
  }, 300_000);

  it('counts under the table the model has before a rename, and lists no derived transform as a TODO', async () => {
    const q = tempProject(cli.bin, 'plan-document-cost-rename');
    try {
      await startNotesProject(q, { seed: SEED.replace(`${DOCS}`, '300').replaceAll('1000', '100') });
      // the collection is renamed, and a field is added whose transform `generate` derives from its default
      q.write(
        'src/models.ts',
        noteModels(
          '_id: z.string(), text: z.string(), createdAt: z.date().default(() => new Date())',
          'memos',
        ),
      );
      const json = await q.run(['plan', '--cost', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const { documentCost } = JSON.parse(json.stdout) as PlanResult;
      expect(documentCost?.documentsFrom).toBe('live count');
      expect(documentCost?.models[0]).toMatchObject({ model: 'Note', documents: 300, todos: [] });
    } finally {
      q.remove();
    }
  }, 120_000);

  it('fails with CONNECTION_FAILED when the store cannot be reached, and creates no embedded database', async () => {
    const q = tempProject(cli.bin, 'plan-document-cost-unreachable');
    try {
      await startNotesProject(q);
      q.write('src/models.ts', noteModels("_id: z.string(), body: z.string().meta({ renamedFrom: 'text' })"));
      const down = await q.run(['plan', '--cost'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' });
      expect(down.code).not.toBe(0);
      expect(down.stderr).toMatch(/^error CONNECTION_FAILED: /m);
      const pglite = await q.run(['plan', '--cost'], { DATABASE_URL: 'pglite:./pgdata' });
      expect(pglite.code, pglite.stderr).toBe(0);
      expect(pglite.stdout).toContain(
        'Cost of document models (estimates: no database to count documents in)',
      );
      expect(existsSync(join(q.dir, 'pgdata'))).toBe(false);
    } finally {
      q.remove();
    }
  }, 120_000);

  it('without a database to count in, still measures the upgrade and says why there is no sweep figure', async () => {
    const q = tempProject(cli.bin, 'plan-document-cost-none');
    try {
      await startNotesProject(q);
      q.write('src/models.ts', noteModels("_id: z.string(), body: z.string().meta({ renamedFrom: 'text' })"));
      const text = await q.run(['plan', '--cost']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Cost of document models (estimates: no database to count documents in)');
      expect(text.stdout).toMatch(
        /Note: lazy: no downtime, \+[\d.]+ µs per read \(measured upgrade cost\), sweep: no database to count documents in/,
      );
    } finally {
      q.remove();
    }
  }, 120_000);
});
