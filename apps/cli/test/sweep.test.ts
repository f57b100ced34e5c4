import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { noteModels } from './helpers/models.ts';
import { startNotesProject } from './helpers/notes-project.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
let p: TempProject;
beforeAll(async () => {
  cli = await buildTestCli();
  p = tempProject(cli.bin, 'sweep');
});
afterAll(() => {
  p?.remove();
  cli?.cleanup();
});

const SEED = `import { createDocumentTable, createSqlDocumentStore } from '@evolve/document';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database('evolve.db') }) });
await createDocumentTable(db, { table: 'notes' });
await createSqlDocumentStore(db, { table: 'notes' }).insert(
  ['a', 'b', 'c', 'd', 'e'].map((id) => ({ _id: id, text: 'note ' + id })),
);
const rows = await db.selectFrom('notes').select('doc').orderBy('id').execute();
console.log(JSON.stringify(rows.map((r) => JSON.parse(r.doc))));
await db.destroy();
`;

describe('evolve sweep', () => {
  it('upgrades every stored document of a model in batches, and a second sweep finds nothing to do', async () => {
    await startNotesProject(p, { seed: SEED });

    p.write(
      'src/models.ts',
      noteModels(
        "_id: z.string(), body: z.string().meta({ renamedFrom: 'text' }), tags: z.array(z.string()).default([])",
      ),
    );
    expect((await p.run(['generate', 'note_body'])).code).toBe(0);
    expect((await p.run(['up'])).code).toBe(0);

    const sweep = await p.run(['sweep', 'Note', '--batch-size', '2']);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain('swept Note: 5 upgraded, 0 already current, 0 failed');
    const stored = execFileSync(
      process.execPath,
      [
        '-e',
        "const D=require('better-sqlite3');console.log(JSON.stringify(new D('evolve.db').prepare('select id, doc from notes order by id').all().map(r=>({id:r.id,...JSON.parse(r.doc)}))))",
      ],
      { cwd: p.dir, encoding: 'utf8' },
    );
    expect(JSON.parse(stored)[0]).toMatchObject({ id: 'a', body: 'note a', tags: [], _v: 2 });

    const again = await p.run(['sweep', 'Note', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ upgraded: 0, failed: 0 });
  });

  it('refuses a sql model or an unknown model with a clear error', async () => {
    const unknown = await p.run(['sweep', 'Nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^error NOT_FOUND: no model Nope in the schema \(models: Note\) \(at Nope\)$/m,
    );
  });
});
