import { join } from 'node:path';
import { listMigrationFiles } from '@evolve/project';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from '../src/index.ts';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
const projects: TempProject[] = [];
const project = (name: string) => {
  const p = tempProject(cli.bin, name);
  projects.push(p);
  return p;
};

beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => {
  for (const p of projects) p.remove();
  cli.cleanup();
});

describe('parseDatabaseUrl', () => {
  it('selects the dialect from the URL scheme', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db', '/app')).toMatchObject({
      dialect: 'postgres',
      driver: 'pg',
    });
    expect(parseDatabaseUrl('postgresql://u@h/db', '/app')).toMatchObject({
      dialect: 'postgres',
      driver: 'pg',
    });
    expect(parseDatabaseUrl('mysql://root@h/db', '/app')).toMatchObject({
      dialect: 'mysql',
      driver: 'mysql2',
    });
    expect(parseDatabaseUrl('file:./dev.db', '/app')).toMatchObject({
      dialect: 'sqlite',
      location: '/app/dev.db',
    });
    expect(parseDatabaseUrl('sqlite:data/x.db', '/app')).toMatchObject({
      dialect: 'sqlite',
      location: '/app/data/x.db',
    });
    expect(parseDatabaseUrl('file:///var/x.db', '/app')).toMatchObject({
      dialect: 'sqlite',
      location: '/var/x.db',
    });
    expect(parseDatabaseUrl('./plain.db', '/app')).toMatchObject({
      dialect: 'sqlite',
      location: '/app/plain.db',
    });
    expect(parseDatabaseUrl('pglite:./pgdata', '/app')).toMatchObject({
      dialect: 'postgres',
      driver: 'pglite',
      location: '/app/pgdata',
    });
  });

  it('rejects an unknown scheme with INVALID_CONFIG at database.url', () => {
    expect(() => parseDatabaseUrl('oracle://x', '/app')).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', path: 'database.url' }),
    );
  });
});

describe('loadConfig', () => {
  it('a migrations path that is a file is INVALID_CONFIG naming it (regression: bare ENOTDIR)', () => {
    const p = project('cfg-notdir');
    p.write('migrations', 'not a folder\n');
    expect(() => listMigrationFiles(join(p.dir, 'migrations'))).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('is a file, not a folder'),
      }),
    );
  });

  it('a config exporting null is INVALID_CONFIG naming the fault (regression: "reading \'then\'")', async () => {
    const p = project('cfg-null');
    p.write('evolve.config.ts', 'export default null;\n');
    await expect(loadConfig({ cwd: p.dir, env: {} })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('default export is null or undefined'),
    });
  });

  it('stops with NO_CONFIG without a config file, pointing at evolve init', async () => {
    const p = project('cfg');
    await expect(loadConfig({ cwd: p.dir, env: {} })).rejects.toMatchObject({
      code: 'NO_CONFIG',
      path: p.dir,
      message: expect.stringContaining('run `evolve init`'),
    });
  });

  it('uses the defaults when the config names none: src/models.ts, migrations, the SQLite file evolve.db beside it', async () => {
    const p = project('cfg');
    p.write('evolve.config.json', '{}');
    const config = await loadConfig({ cwd: p.dir, env: {} });
    expect(config).toMatchObject({
      root: p.dir,
      schemaPath: join(p.dir, 'src/models.ts'),
      migrationsDir: join(p.dir, 'migrations'),
      databaseSource: 'default',
      database: { dialect: 'sqlite', location: join(p.dir, 'evolve.db') },
    });
  });

  it('reads evolve.config.ts written with defineConfig, and DATABASE_URL and --url override it in that order', async () => {
    const p = project('cfg');
    p.write(
      'evolve.config.ts',
      "import { defineConfig } from '@evolve/cli';\nexport default defineConfig({ schema: './models/index.ts', migrations: './db/migrations', database: { url: 'file:./app.db' } });\n",
    );
    const config = await loadConfig({ cwd: p.dir, env: {} });
    expect(config).toMatchObject({
      schemaPath: join(p.dir, 'models/index.ts'),
      migrationsDir: join(p.dir, 'db/migrations'),
      databaseSource: 'config',
      database: { location: join(p.dir, 'app.db') },
    });
    const env = { DATABASE_URL: 'postgres://x@h/db' };
    expect((await loadConfig({ cwd: p.dir, env })).database.dialect).toBe('postgres');
    expect((await loadConfig({ cwd: p.dir, env, url: 'mysql://r@h/d' })).database.dialect).toBe('mysql');
  });

  it('reads evolve.config.json', async () => {
    const p = project('cfg');
    p.write('evolve.config.json', JSON.stringify({ migrations: './m' }));
    expect((await loadConfig({ cwd: p.dir, env: {} })).migrationsDir).toBe(join(p.dir, 'm'));
  });

  it('rejects unknown keys with INVALID_CONFIG naming the key', async () => {
    const p = project('cfg');
    p.write('evolve.config.mjs', 'export default { schema: "./s.ts", migratons: "./m" };\n');
    await expect(loadConfig({ cwd: p.dir, env: {} })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      path: `${join(p.dir, 'evolve.config.mjs')}#migratons`,
    });
  });
});

describe('the CLI with a broken configuration', () => {
  it('prints one error line with the code and the file, exits 1, and shows no stack', async () => {
    const p = project('cfg');
    p.write('evolve.config.ts', 'export default defineConfig({ schema: \n');
    const run = await p.run(['check']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error INVALID_CONFIG: cannot load the config file: .* \(at .*evolve\.config\.ts\)$/,
    );
  });

  it('prints the stack trace with --debug', async () => {
    const p = project('cfg');
    p.write('evolve.config.ts', 'export default defineConfig({ schema: \n');
    const run = await p.run(['check', '--debug']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('reports a missing schema module with its path', async () => {
    const p = project('cfg');
    p.write('evolve.config.json', JSON.stringify({ schema: './nope.ts' }));
    const run = await p.run(['generate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error INVALID_CONFIG: the schema module does not exist .*\(at .*nope\.ts\)$/m,
    );
  });

  it('reports an unsupported database URL', async () => {
    const p = project('cfg');
    p.write('evolve.config.json', '{}');
    const run = await p.run(['status', '--url', 'oracle://db']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'error INVALID_CONFIG: unsupported database URL scheme "oracle:" (use postgres://, mysql://, mongodb://, file:, sqlite: or pglite:) (at database.url)',
    );
  });
});

describe('evolve init', () => {
  it('writes the config, starter models and migrations folder that generate and check accept', async () => {
    const p = project('init');
    const run = await p.run(['init']);
    expect(run.code, run.stderr).toBe(0);
    expect(p.files()).toEqual(['evolve.config.ts', 'migrations/index.ts', 'package.json', 'src/models.ts']);
    expect((await p.run(['check'])).code).toBe(2);
    expect((await p.run(['generate'])).code).toBe(0);
    const check = await p.run(['check']);
    expect(check.code, check.stdout).toBe(0);
  });

  it('is the only command that runs without a config: the others stop with NO_CONFIG and create nothing', async () => {
    const p = project('noconfig');
    for (const command of ['status', 'up', 'generate', 'check', 'plan', 'discard']) {
      const run = await p.run([command]);
      expect(run.code, command).toBe(1);
      expect(run.stderr, command).toMatch(/^error NO_CONFIG: no evolve\.config\.ts .*run `evolve init`/);
    }
    expect(p.files()).toEqual([]);
  });

  it('refuses to overwrite existing files and writes nothing', async () => {
    const p = project('init');
    p.write('src/models.ts', '// mine\n');
    const run = await p.run(['init']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error INVALID_CONFIG: refusing to overwrite existing files: src/models.ts');
    expect(p.files()).toEqual(['src/models.ts']);
    expect(p.read('src/models.ts')).toBe('// mine\n');
  });
});
