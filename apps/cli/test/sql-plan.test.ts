import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
let p: TempProject;
beforeAll(async () => {
  cli = await buildTestCli();
  p = tempProject(cli.bin, 'sql');
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', userModels({ id: 'z.number().int()', email: 'z.string().max(200)' }));
  expect((await p.run(['generate', 'init'])).code).toBe(0);
});
afterAll(() => {
  p?.remove();
  cli?.cleanup();
});

describe('evolve sql and evolve plan', () => {
  it('sql prints the exact SQL of pending migrations per dialect, without creating a database', async () => {
    const postgres = await p.run(['sql', '--dialect', 'postgres']);
    expect(postgres.code, postgres.stderr).toBe(0);
    expect(postgres.stdout).toContain('-- migration 0001_init (postgres)');
    expect(postgres.stdout).toMatch(
      /create table "users" \("id" integer not null, "email" varchar\(200\) not null/,
    );
    const mysql = await p.run(['sql', '0001_init', '--dialect', 'mysql']);
    expect(mysql.stdout).toContain('create table `users`');
    expect(p.exists('evolve.db')).toBe(false);
  });

  it('plan shows the pending changes, their risks and SQL steps, and writes nothing', async () => {
    p.write(
      'src/models.ts',
      userModels({ id: 'z.number().int()', email: 'z.string().max(200)', age: 'z.number().int()' }),
    );
    const before = p.files();
    const text = await p.run(['plan', '--dialect', 'postgres']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('addField User.age (needs-backfill)');
    expect(text.stdout).toContain('required-without-default');
    expect(text.stdout).toContain('Nothing written.');
    const json = JSON.parse((await p.run(['plan', '--json'])).stdout);
    expect(json).toMatchObject({
      changed: true,
      dialect: 'sqlite',
      changes: [{ kind: 'addField', path: ['age'] }],
    });
    expect(json.steps.length).toBeGreaterThan(0);
    expect(p.files()).toEqual(before);
  });

  it('plan prints the SQL block that `evolve sql` prints once generate has written the migration', async () => {
    p.write(
      'src/models.ts',
      userModels({ id: 'z.number().int()', email: 'z.string().max(200)', age: 'z.string().max(10)' }),
    );
    const planned = await p.run(['plan', 'age', '--dialect', 'postgres']);
    expect(planned.code, planned.stderr).toBe(0);
    const generated = await p.run(['generate', 'age']);
    expect(generated.code, generated.stderr).toBe(0);
    const id = /\b(\d{4}_age)\b/.exec(generated.stdout)?.[1];
    expect(id).toBeDefined();
    const shown = await p.run(['sql', id as string, '--dialect', 'postgres']);
    const script = shown.stdout.replace(/^-- migration .*\n/, '').trimEnd();
    expect(script).toContain('add column "age"');
    expect(planned.stdout).toContain(`as \`evolve sql ${id}\` will print it\n${script}\n`);
  });
});
