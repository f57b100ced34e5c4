// `evolve discard` undoes the newest `generate`: the migrations folder ends byte-identical to before it,
// and a migration the database has applied stays until `down` reverts it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
let p: TempProject;
beforeAll(async () => {
  cli = await buildTestCli();
  p = tempProject(cli.bin, 'discard');
  expect((await p.run(['init'])).code).toBe(0);
});
afterAll(() => {
  p?.remove();
  cli?.cleanup();
});

/** Every file of the migrations folder with its bytes. */
function folder(): Record<string, string> {
  const dir = join(p.dir, 'migrations');
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
}

const V1 = { id: 'z.number().int()', email: 'z.string().max(200)' };
const V2 = { ...V1, name: 'z.string()' }; // derived from nothing: a TODO transform
const V3 = { ...V1, nickname: 'z.string().nullable()' };

describe('evolve discard', () => {
  it('says so when there is no migration to discard', async () => {
    const run = await p.run(['discard']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error NOT_FOUND: there is no migration to discard/);
  });

  it('undoes the first generate: the folder is byte-identical to what init wrote, and no database is created', async () => {
    p.write('src/models.ts', userModels(V1));
    const before = folder();
    expect((await p.run(['generate', 'create_users'])).code).toBe(0);
    expect(Object.keys(folder())).toContain('0001_create_users.ts');
    const run = await p.run(['discard']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('discarded 0001_create_users');
    expect(folder()).toEqual(before);
    expect(p.exists('evolve.db')).toBe(false);
  });

  it('undoes a later generate (with a TODO transform) after earlier migrations were applied', async () => {
    expect((await p.run(['generate', 'create_users'])).code).toBe(0);
    expect((await p.run(['up'])).code).toBe(0);
    p.write('src/models.ts', userModels(V2));
    const before = folder();
    expect((await p.run(['generate', 'add_name'])).code).toBe(0);
    expect(folder()['0002_add_name.ts']).toMatch(/todo\(/);
    expect((await p.run(['discard'])).code).toBe(0);
    expect(folder()).toEqual(before);
    // The models are what they were, so the next generate writes the same migration again.
    p.write('src/models.ts', userModels(V3));
    expect((await p.run(['generate', 'add_nickname'])).code).toBe(0);
    expect((await p.run(['check'])).code).toBe(0);
  });

  it('refuses to discard a migration the database has applied, until down reverts it', async () => {
    expect((await p.run(['up'])).code).toBe(0);
    const before = folder();
    const refused = await p.run(['discard']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error ALREADY_APPLIED: 0002_add_nickname is applied in the database: revert it with `evolve down` first/,
    );
    expect(folder()).toEqual(before);
    expect((await p.run(['down', '--yes'])).code).toBe(0);
    const run = await p.run(['discard', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: '0002_add_nickname',
      removed: ['0002_add_nickname.ts'],
      restored: ['index.ts', 'snapshot.json', 'evolve.sum'],
      checkedDatabase: true,
    });
    expect(Object.keys(folder()).sort()).toEqual([
      '0001_create_users.ts',
      'evolve.sum',
      'index.ts',
      'snapshot.json',
    ]);
    expect((await p.run(['check'])).code).toBe(2); // the models still have the nickname: generate again
  });
});
