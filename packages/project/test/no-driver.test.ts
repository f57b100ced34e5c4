// @evolve/project imports no database driver: not in its module graph (every static and dynamic import of its
// sources and of the evolve packages they load, as esbuild follows them), and not at run time (a child process
// whose module loader refuses the drivers and the CLI generates and checks a project with both kinds of model).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
/** The modules that open a database (the drivers) or load them (the CLI's own entry). */
const DENIED = ['better-sqlite3', 'pg', 'mysql2', 'mongodb', '@electric-sql/pglite', 'kysely-pglite-dialect'];
const DENIED_PATTERN = `^(${[...DENIED, '@evolve/cli'].map((d) => d.replace(/[/.]/g, '\\$&')).join('|')})(/|$)`;

// Inside packages/project, so the project's modules resolve zod and @evolve/core through node_modules.
const dir = join(import.meta.dirname, '.tmp', `no-driver-${process.pid}`);
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const models = (
  extra: { user?: string; note?: string } = {},
) => `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const User = defineModel('User', {
  table: 'users',
  shape: { id: z.number().int(), email: z.string().max(200),${extra.user ?? ''} },
});
export const Note = defineModel('Note', {
  target: 'document',
  table: 'notes',
  shape: { _id: z.string(), text: z.string(),${extra.note ?? ''} },
});
export default defineSchema([User, Note]);
`;

/** The loader hook of the child: every package import is logged, and every import of a denied one fails. */
const HOOKS = `import { appendFileSync } from 'node:fs';
const DENIED = new RegExp(${JSON.stringify(DENIED_PATTERN)});
export async function resolve(specifier, context, next) {
  if (/^[^./]/.test(specifier) && !specifier.startsWith('node:') && !specifier.startsWith('file:')) {
    appendFileSync(${JSON.stringify(join(dir, 'seen.log'))}, specifier + '\\n');
  }
  if (DENIED.test(specifier)) {
    appendFileSync(${JSON.stringify(join(dir, 'denied.log'))}, specifier + '\\n');
    throw new Error('a driver-free module imported ' + specifier);
  }
  return next(specifier, context);
}
`;

/** Runs `script` (an ES module) in node with tsx and the hook; returns its stdout and the imports. */
async function runDenyingDrivers(
  script: string,
): Promise<{ stdout: string; denied: string[]; seen: string[] }> {
  const hooks = write('hooks.mjs', HOOKS);
  const register = write(
    'register.mjs',
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  rmSync(join(dir, 'denied.log'), { force: true });
  rmSync(join(dir, 'seen.log'), { force: true });
  const file = write('script.mjs', script);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', register, file], {
    cwd: ROOT,
    env: { ...process.env, EVOLVE_NO_CACHE: '1' },
    timeout: 60_000,
  });
  const lines = (log: string) =>
    existsSync(join(dir, log)) ? readFileSync(join(dir, log), 'utf8').split('\n').filter(Boolean) : [];
  return { stdout, denied: lines('denied.log'), seen: lines('seen.log') };
}

describe('@evolve/project imports no database driver', () => {
  it('has none in its module graph: every import its sources and the evolve packages they load can make', async () => {
    const external = new Set<string>();
    await build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-packages',
          setup(b) {
            // The evolve packages resolve to their sources and are followed; every other package is recorded.
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.path.startsWith('@evolve/') && args.path !== '@evolve/cli') return undefined;
              external.add(args.path);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    const packages = [...external].filter((p) => !p.startsWith('node:'));
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((p) => new RegExp(DENIED_PATTERN).test(p))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(ENTRY, '../../package.json'), 'utf8'));
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    expect(declared.filter((p) => new RegExp(DENIED_PATTERN).test(p))).toEqual([]);
  });

  it('generates and checks a project (a SQL and a document model) in a process that refuses every driver', async () => {
    write('evolve.config.ts', `export default { schema: './src/models.ts', migrations: './migrations' };\n`);
    write('src/models.ts', models());
    const script = `const project = await import(${JSON.stringify(pathToFileURL(ENTRY).href)});
const first = await project.generate({ cwd: ${JSON.stringify(dir)}, name: 'init' });
const { writeFileSync } = await import('node:fs');
writeFileSync(${JSON.stringify(join(dir, 'src/models.ts'))}, ${JSON.stringify(
      models({ user: ' nickname: z.string().optional(),', note: ' pinned: z.boolean().default(false),' }),
    )});
const second = await project.generate({ cwd: ${JSON.stringify(dir)}, name: 'more fields' });
const check = await project.check({ cwd: ${JSON.stringify(dir)}, runs: 5 });
console.log(JSON.stringify({ first: first.id, second: second.id, check }));
`;
    const { stdout, denied } = await runDenyingDrivers(script);
    expect(denied).toEqual([]);
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(out.first).toBe('0001_init');
    expect(out.second).toBe('0002_more_fields');
    expect(out.check).toEqual({ exitCode: 0, findings: [] });
    for (const file of ['0001_init.ts', '0002_more_fields.ts', 'index.ts', 'snapshot.json', 'evolve.sum']) {
      expect(existsSync(join(dir, 'migrations', file)), file).toBe(true);
    }
    const second = readFileSync(join(dir, 'migrations', '0002_more_fields.ts'), 'utf8');
    expect(second).toMatch(/nickname/);
    expect(second).toMatch(/pinned/);
  });

  it('loads @evolve/sql and @evolve/document only when a function needs them: not for a generate with no changes', async () => {
    const script = `const project = await import(${JSON.stringify(pathToFileURL(ENTRY).href)});
const result = await project.generate({ cwd: ${JSON.stringify(dir)} });
console.log(JSON.stringify({ status: result.status }));
`;
    const { stdout, denied, seen } = await runDenyingDrivers(script);
    expect(denied).toEqual([]);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ status: 'unchanged' });
    expect(seen).toContain('@evolve/core');
    expect(seen.filter((s) => /^@evolve\/(sql|document)(\/|$)/.test(s))).toEqual([]);
  });

  it('(the guard works) catches the driver the CLI loads to apply the same project', async () => {
    const cli = pathToFileURL(join(ROOT, 'apps/cli/src/index.ts')).href;
    const script = `const cli = await import(${JSON.stringify(cli)});
const result = await cli.up({ cwd: ${JSON.stringify(dir)} }).catch((error) => ({ error: error.message }));
console.log(JSON.stringify(result));
`;
    const { denied } = await runDenyingDrivers(script);
    expect(denied).toContain('better-sqlite3');
  });
});
