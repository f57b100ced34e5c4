// `evolve init` in an empty folder and in an existing app: package.json, the install commands per database
// and package manager, and the files the first `generate` needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPackageManager, installCommand } from '@evolve/project';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.ts';
import { PEER_RANGES } from '../src/project/init-templates.ts';
import { type TempProject, tempProject } from './helpers/cli-project.ts';

const projects: TempProject[] = [];
const project = (name: string) => {
  const p = tempProject('unused', name);
  projects.push(p);
  return p;
};
afterAll(() => {
  for (const p of projects) p.remove();
});
const manifest = (p: TempProject) => JSON.parse(p.read('package.json')) as Record<string, any>;
const npm = { npm_config_user_agent: 'npm/11.0.0 node/v20.20.0 linux x64' };

describe('init in an empty folder', () => {
  it('writes package.json (an ES module package with an evolve script), the config, models and migrations', async () => {
    const p = project('init-empty');
    const result = await init({ cwd: p.dir, env: npm });
    expect(result.files).toEqual([
      'package.json',
      'evolve.config.ts',
      'src/models.ts',
      'migrations/index.ts',
    ]);
    expect(p.files()).toEqual(['evolve.config.ts', 'migrations/index.ts', 'package.json', 'src/models.ts']);
    expect(manifest(p)).toMatchObject({ private: true, type: 'module', scripts: { evolve: 'evolve' } });
    expect(result.install).toEqual([
      'npm install @evolve/core @evolve/sql zod@^4 kysely@^0.28 better-sqlite3@^12',
      'npm install --save-dev @evolve/cli',
    ]);
    expect(p.read('evolve.config.ts')).toContain("database: { url: 'file:./evolve.db' },");
  });

  it('picks the URL placeholder and the driver from --database, and names the package manager in use', async () => {
    const cases = [
      ['postgres', 'postgres://postgres@localhost:5432/app', 'pg@^8'],
      ['mysql', 'mysql://root@localhost:3306/app', 'mysql2@^3'],
    ] as const;
    for (const [database, url, driver] of cases) {
      const p = project(`init-${database}`);
      const result = await init({ cwd: p.dir, database, env: { npm_config_user_agent: 'pnpm/12.0.0' } });
      expect(p.read('evolve.config.ts')).toContain(`database: { url: '${url}' },`);
      expect(result.install).toEqual([
        `pnpm add @evolve/core @evolve/sql zod@^4 kysely@^0.28 ${driver}`,
        'pnpm add -D @evolve/cli',
      ]);
    }
  });

  it('starts a MongoDB project with a document model and @evolve/document', async () => {
    const p = project('init-mongodb');
    const result = await init({ cwd: p.dir, database: 'mongodb', env: npm });
    expect(p.read('src/models.ts')).toContain("target: 'document'");
    expect(p.read('evolve.config.ts')).toContain('mongodb://localhost:27017/app');
    expect(result.install[0]).toBe('npm install @evolve/core @evolve/document zod@^4 mongodb@^7');
  });

  it('takes the database from --url and writes the models where --schema says', async () => {
    const p = project('init-url');
    const result = await init({ cwd: p.dir, url: 'pglite:./pgdata', schema: 'src/db/models.ts', env: npm });
    expect(result.database).toBe('postgres');
    expect(p.exists('src/db/models.ts')).toBe(true);
    expect(p.read('evolve.config.ts')).toContain("schema: './src/db/models.ts'");
    expect(result.install[0]).toBe(
      'npm install @evolve/core @evolve/sql zod@^4 kysely@^0.28 @electric-sql/pglite@^0.5 kysely-pglite-dialect@^1',
    );
  });
});

describe('init in an existing app', () => {
  it('keeps package.json as written and adds "type": "module" and the evolve script', async () => {
    const p = project('init-app');
    p.write(
      'package.json',
      '{\n    "name": "shop",\n    "version": "1.0.0",\n    "dependencies": { "zod": "^4.1.0" }\n}\n',
    );
    p.write('src/server.ts', 'export {};\n');
    const result = await init({ cwd: p.dir, env: npm });
    expect(result.packageJson).toEqual({
      status: 'updated',
      added: ['"type": "module"', 'an "evolve" script'],
      type: 'module',
    });
    expect(p.read('package.json')).toBe(
      '{\n    "name": "shop",\n    "version": "1.0.0",\n    "type": "module",\n    "dependencies": {\n        "zod": "^4.1.0"\n    },\n    "scripts": {\n        "evolve": "evolve"\n    }\n}\n',
    );
    // zod is there already: only the missing packages are named.
    expect(result.install[0]).toBe('npm install @evolve/core @evolve/sql kysely@^0.28 better-sqlite3@^12');
  });

  it('leaves "type" alone when the app has CommonJS .js files, and says why', async () => {
    const p = project('init-cjs');
    p.write('package.json', '{ "name": "legacy" }\n');
    p.write('server.js', "module.exports = require('./lib/app.js');\n");
    p.write('lib/app.js', 'module.exports = {};\n');
    p.write('node_modules/x/index.js', 'ignored\n');
    const result = await init({ cwd: p.dir, env: npm });
    expect(result.packageJson.type).toBeUndefined();
    expect(result.packageJson.typeNote).toMatch(
      /\.js files \((lib\/app\.js, server\.js|server\.js, lib\/app\.js)\)/,
    );
    expect(manifest(p)).toEqual({ name: 'legacy', scripts: { evolve: 'evolve' } });
  });

  it('keeps an explicit "type" and an existing evolve script, and asks to install nothing already declared', async () => {
    const p = project('init-declared');
    const text = `${JSON.stringify(
      {
        name: 'done',
        type: 'commonjs',
        scripts: { evolve: 'evolve --cwd db' },
        dependencies: {
          '@evolve/core': '*',
          '@evolve/sql': '*',
          zod: '*',
          kysely: '*',
          'better-sqlite3': '*',
        },
        devDependencies: { '@evolve/cli': '*' },
      },
      null,
      2,
    )}\n`;
    p.write('package.json', text);
    p.write('pnpm-lock.yaml', '');
    const result = await init({ cwd: p.dir, env: npm });
    expect(result.packageJson.status).toBe('unchanged');
    expect(result.packageManager).toBe('pnpm');
    expect(result.install).toEqual([]);
    expect(p.read('package.json')).toBe(text);
  });

  it('refuses when the models module exists, touching nothing (package.json included)', async () => {
    const p = project('init-refuse');
    p.write('package.json', '{ "name": "x" }\n');
    p.write('src/models.ts', '// mine\n');
    await expect(init({ cwd: p.dir, env: npm })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(p.read('package.json')).toBe('{ "name": "x" }\n');
    expect(p.files()).toEqual(['package.json', 'src/models.ts']);
  });
});

describe('install commands', () => {
  it('follow the lockfile, else the package manager running evolve, else npm', () => {
    const p = project('pm');
    expect(detectPackageManager(p.dir, {})).toBe('npm');
    expect(detectPackageManager(p.dir, { npm_config_user_agent: 'yarn/4.1.0 npm/? node/v20' })).toBe('yarn');
    p.write('bun.lock', '');
    expect(detectPackageManager(p.dir, { npm_config_user_agent: 'pnpm/12.0.0' })).toBe('bun');
    expect(installCommand('bun', ['@evolve/cli'], { dev: true })).toBe('bun add -d @evolve/cli');
    expect(installCommand('yarn', ['zod@^4'])).toBe('yarn add zod@^4');
  });

  it('pin each peer dependency to a range the packages declare', () => {
    const peers: Record<string, string> = {};
    for (const pkg of ['apps/cli', 'packages/sql', 'packages/document', 'packages/core']) {
      const file = join(import.meta.dirname, '../../..', pkg, 'package.json');
      Object.assign(peers, JSON.parse(readFileSync(file, 'utf8')).peerDependencies);
    }
    for (const [name, range] of Object.entries(PEER_RANGES)) {
      const declared = peers[name]?.split('||').map((r) => r.trim());
      expect(declared, name).toBeDefined();
      expect(
        declared!.some((r) => r.startsWith(`${range}.`)),
        `${name}@${range} within ${peers[name]}`,
      ).toBe(true);
    }
  });
});
