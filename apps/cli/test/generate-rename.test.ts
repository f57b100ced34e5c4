import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
const projects: TempProject[] = [];

beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => {
  for (const p of projects) p.remove();
  cli.cleanup();
});

async function projectWithFirstMigration(): Promise<TempProject> {
  const p = tempProject(cli.bin, 'rename');
  projects.push(p);
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', userModels({ id: 'z.number().int()', name: 'z.string()' }));
  const first = await p.run(['generate', 'init']);
  expect(first.code, first.stderr).toBe(0);
  // name disappears, fullName appears: a rename or a drop and an add?
  p.write('src/models.ts', userModels({ id: 'z.number().int()', fullName: 'z.string()' }));
  return p;
}

describe('evolve generate with an ambiguous rename', () => {
  it('exits non-zero without a terminal, names the flags to pass, and writes nothing', async () => {
    const p = await projectWithFirstMigration();
    const before = p.files().map((f) => [f, p.read(f)]);
    const run = await p.run(['generate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error AMBIGUOUS_RENAME: .*User\.name/m);
    expect(run.stderr).toContain('--rename User.name=fullName');
    expect(run.stderr).toContain('--drop User.name');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    expect(p.files().map((f) => [f, p.read(f)])).toEqual(before);
  });

  it('writes a renameField migration when --rename answers the question', async () => {
    const p = await projectWithFirstMigration();
    const run = await p.run(['generate', '--rename', 'User.name=fullName']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('wrote migrations/0002_rename_user_name_to_fullname.ts');
    const text = p.read('migrations/0002_rename_user_name_to_fullname.ts');
    expect(text).toContain("kind: 'renameField'");
    expect(p.read('migrations/index.ts')).toContain(
      "import m0002 from './0002_rename_user_name_to_fullname.ts';",
    );
  });

  it('writes a drop and an add when --drop says so', async () => {
    const p = await projectWithFirstMigration();
    const run = await p.run(['generate', 'replace_name', '--drop', 'User.name']);
    expect(run.code, run.stderr).toBe(0);
    const text = p.read('migrations/0002_replace_name.ts');
    expect(text).toContain("kind: 'dropField'");
    expect(text).toContain("kind: 'addField'");
  });

  it('says so and writes nothing when the models did not change', async () => {
    const p = await projectWithFirstMigration();
    p.write('src/models.ts', userModels({ id: 'z.number().int()', name: 'z.string()' }));
    const before = p.files();
    const run = await p.run(['generate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes');
    expect(p.files()).toEqual(before);
  });
});
