// End to end: the development loop through the built CLI, in a temporary project, on each engine.
import { randomBytes } from 'node:crypto';
import { describeEngine, type EngineStatus, kyselyFor } from '@evolve/harness';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => cli?.cleanup());

const V1 = { id: 'z.number().int()', name: 'z.string()', email: 'z.string().max(200)' };
const V2 = { ...V1, displayName: 'z.string()' };

/** Runs init -> generate -> edit models -> generate -> fill the TODO -> up -> status -> check -> down. */
function workflow(
  engine: string,
  database: (dir: string) => Promise<{ url: string; drop(): Promise<void> }>,
) {
  let p: TempProject;
  let url = '';
  let drop = async () => {};
  beforeAll(async () => {
    p = tempProject(cli.bin, `wf-${engine}`);
    ({ url, drop } = await database(p.dir));
  });
  afterAll(async () => {
    await drop();
    p?.remove();
  });
  const run = (...args: string[]) => p.run(args, { DATABASE_URL: url });

  it('goes from init to a migrated database and back', async () => {
    expect((await run('init')).code).toBe(0);
    p.write('evolve.config.ts', CONFIG);
    p.write('src/models.ts', userModels(V1));
    const first = await run('generate', 'create_users');
    expect(first.code, first.stderr).toBe(0);

    // A new required field derived from another one: the generator leaves a TODO transform.
    p.write('src/models.ts', userModels(V2));
    const second = await run('generate', 'display_name');
    expect(second.code, second.stderr).toBe(0);
    const file = 'migrations/0002_display_name.ts';
    expect(p.read(file)).toMatch(/todo\(/);
    const blocked = await run('check', '--format', 'json');
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stdout).findings.map((f: { code: string }) => f.code)).toContain(
      'TODO_TRANSFORM',
    );

    // Review: fill the TODO, then re-hash deliberately.
    const filled = p.read(file).replace(/todo\([^)]*\)/, '(old) => String(old.name).toUpperCase()');
    expect(filled).not.toMatch(/\btodo\(/);
    p.write(file, filled);
    expect((await run('hash')).code).toBe(0);

    const up1 = await run('up', '--to', '0001_create_users');
    expect(up1.code, up1.stderr).toBe(0);
    // Seed a row at version 1, so version 2's backfill has work to do.
    await seed(url, engine);
    const up = await run('up');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('0002_display_name');
    expect(await rows(url, engine)).toEqual([
      { id: 1, name: 'ada', email: 'ada@example.com', displayName: 'ADA' },
    ]);

    const status = await run('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      applied: ['0001_create_users', '0002_display_name'],
      pending: [],
    });

    const check = await run('check', '--db');
    expect(check.code, check.stdout + check.stderr).toBe(0);

    // Reverting 0002 drops displayName: without a terminal it needs --yes.
    const refused = await run('down');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error UNACKNOWLEDGED_CHANGE: .*displayName/m);
    expect(refused.stderr).toContain('--yes');
    const down = await run('down', '--yes');
    expect(down.code, down.stdout + down.stderr).toBe(0);
    const after = JSON.parse((await run('status', '--json')).stdout);
    expect(after).toMatchObject({ applied: ['0001_create_users'], pending: ['0002_display_name'] });
    expect(await rows(url, engine)).toEqual([{ id: 1, name: 'ada', email: 'ada@example.com' }]);
  });
}

function open(url: string, engine: string) {
  return kyselyFor(engine === 'postgres' ? 'postgres' : 'sqlite', url.replace(/^file:/, ''));
}

async function seed(url: string, engine: string) {
  const db = await open(url, engine);
  await db.insertInto('users').values({ id: 1, name: 'ada', email: 'ada@example.com' }).execute();
  await db.destroy();
}

async function rows(url: string, engine: string) {
  const db = await open(url, engine);
  const result = await db.selectFrom('users').selectAll().orderBy('id').execute();
  await db.destroy();
  return result;
}

describeEngine('sqlite', 'evolve CLI workflow', () => {
  workflow('sqlite', async (dir) => ({ url: `file:${dir}/test.db`, drop: async () => {} }));
});

describeEngine('postgres', 'evolve CLI workflow', (status: EngineStatus) => {
  workflow('postgres', async () => {
    const name = `evolve_cli_${randomBytes(4).toString('hex')}`;
    const admin = await kyselyFor('postgres', status.url!);
    await sql.raw(`create database ${name}`).execute(admin);
    const u = new URL(status.url!);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      drop: async () => {
        await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
        await admin.destroy();
      },
    };
  });
});
