// The packages as a user gets them: `pnpm build`, `pnpm pack`, then apps in a temporary folder outside the
// repository install the tarballs with npm and with pnpm and follow the README's "Use evolve in your app" step
// by step: `npx evolve init`, generate, up, status, check; a TypeScript startup file compiled by tsc
// (nodenext, skipLibCheck false) and run by plain node applies the migrations on its first start, nothing on
// its second, and reads documents through versioned(). Also: publint and attw on every tarball, and an app
// without any database driver (generate/plan/check work; `up` names the driver to install).
// Installs come from the npm registry through the local npm cache / pnpm store; better-sqlite3 is linked from
// the workspace (already compiled) instead of being compiled again for each app.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndPack, builtBetterSqlite3, REPO, type Tarballs } from './support/pack-workspace.ts';
import { attwTarball, publintTarball } from './support/package-lints.ts';
import {
  type AppStep,
  commandLines,
  type PackageManager,
  readmeAppSteps,
  workflowEvolveSteps,
} from './support/readme-app-steps.ts';
import { type CommandRun, mustRun } from './support/run-command.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'evolve-packed-'));
const DRIVERS = [
  'better-sqlite3',
  'pg',
  'mysql2',
  'mongodb',
  '@electric-sql/pglite',
  'kysely-pglite-dialect',
];
let tarballs: Tarballs;

beforeAll(async () => {
  expect(ROOT.startsWith(REPO)).toBe(false);
  tarballs = await buildAndPack(join(ROOT, 'tarballs'));
}, 240_000);

afterAll(() => {
  if (!process.env.EVOLVE_KEEP_PACKED) rmSync(ROOT, { recursive: true, force: true });
});

function newApp(name: string): string {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`,
  );
  return dir;
}

const tarList = (tarball: string) => execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
const manifestOf = (tarball: string) =>
  JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));

describe('the packed packages', () => {
  it('are what a registry accepts: publint reports nothing, not even a suggestion', async () => {
    for (const tarball of Object.values(tarballs)) expect(await publintTarball(tarball), tarball).toEqual([]);
  });

  it('have correct types for ESM consumers: "Are the types wrong?" reports nothing', async () => {
    for (const tarball of Object.values(tarballs)) expect(await attwTarball(tarball), tarball).toEqual([]);
  });

  it('ship built ESM and declarations only, with peers, engines, a license and the evolve bin', () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const files = tarList(tarball).filter(Boolean);
      expect(
        files.filter((f) => !/^package\/(dist\/.+\.(js|d\.ts)|package\.json|LICENSE)$/.test(f)),
        name,
      ).toEqual([]);
      expect(files, name).toContain('package/LICENSE');
      const manifest = manifestOf(tarball);
      expect(manifest, name).toMatchObject({
        name,
        type: 'module',
        license: 'MIT',
        engines: { node: '>=20' },
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      });
      expect(manifest.private, name).toBeUndefined();
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toMatch(
        /workspace:|kysely|zod|pg|mysql|sqlite|mongo/,
      );
      if (name !== '@evolve/core') expect(manifest.peerDependencies, name).toHaveProperty('kysely');
      expect(manifest.peerDependencies, name).toHaveProperty('zod');
      for (const driver of DRIVERS) {
        if (manifest.peerDependencies?.[driver]) {
          expect(manifest.peerDependenciesMeta?.[driver]?.optional, `${name} ${driver}`).toBe(true);
        }
      }
    }
    expect(manifestOf(tarballs['@evolve/cli']).bin).toEqual({ evolve: './dist/bin.js' });
  });
});

/**
 * An app with the evolve packages, zod and kysely but no database driver: before init every command stops with
 * NO_CONFIG; init, generate, plan and check (CLI and programmatic API) need no driver; `up` names the one to
 * install.
 */
async function noDriverApp() {
  const app = newApp('no-driver-app');
  await mustRun(['npm', 'install', ...Object.values(tarballs), 'zod@^4', 'kysely@^0.28'], { cwd: app });
  for (const driver of DRIVERS) expect(existsSync(join(app, 'node_modules', driver)), driver).toBe(false);
  const evolve = (args: string[], exit = 0) => mustRun(['npx', 'evolve', ...args], { cwd: app, exit });

  const noConfig = await evolve(['status'], 1);
  expect(noConfig.stderr).toMatch(/^error NO_CONFIG: no evolve\.config\.ts .*run `evolve init`/m);
  expect(existsSync(join(app, 'evolve.db'))).toBe(false);
  expect(existsSync(join(app, 'migrations'))).toBe(false);

  const init = await evolve(['init']);
  // The app declares the evolve packages, zod and kysely already: only the driver is left to install.
  expect(init.stdout).toContain('  npm install better-sqlite3@^12\n');
  await evolve(['generate', 'create_users']);
  await evolve(['plan']);
  await evolve(['check']);
  const up = await evolve(['up'], 1);
  expect(up.stderr).toMatch(/^error MISSING_DRIVER: install better-sqlite3 to use SQLite databases/m);
  expect(existsSync(join(app, 'evolve.db'))).toBe(false);

  // The programmatic API: plan, generate and check a change with every driver absent.
  writeFileSync(
    join(app, 'api.mjs'),
    `import { readFileSync, writeFileSync } from 'node:fs';
import { check, generate, plan } from '@evolve/cli';
for (const driver of ${JSON.stringify(DRIVERS)}) {
  try { import.meta.resolve(driver); throw new Error(driver + ' is installed'); } catch (e) { if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e; }
}
writeFileSync('src/models.ts', readFileSync('src/models.ts', 'utf8').replace('name: z.string(),', 'name: z.string(),\\n    bio: z.string().nullable(),'));
const planned = await plan({ dialect: 'postgres' });
if (planned.steps.length === 0) throw new Error('no SQL steps planned');
const written = await generate({ name: 'add_bio' });
const checked = await check();
// The CLI's generate is @evolve/project's (one copy of the project logic, importing no driver).
if ((await import('@evolve/project')).generate !== generate) throw new Error('two copies of generate');
console.log(JSON.stringify({ changes: planned.changes.length, status: written.status, exitCode: checked.exitCode }));
`,
  );
  const api = await mustRun(['node', 'api.mjs'], { cwd: app });
  expect(JSON.parse(api.stdout.trim())).toEqual({ changes: 1, status: 'written', exitCode: 0 });
}

/** The command a README install line becomes in the test app: local tarballs, the compiled better-sqlite3. */
function installArgv(argv: string[], pm: PackageManager): string[] {
  if (pm === 'pnpm') return argv; // pnpm-workspace.yaml overrides point at the tarballs and the compiled driver
  const files = argv
    .filter((a) => !a.startsWith('better-sqlite3@'))
    .map((a) => (a in tarballs ? tarballs[a as keyof Tarballs] : a));
  // @evolve/project is a dependency of @evolve/cli that the registry would provide: npm finds a tarball only
  // where it is named.
  return argv.includes('@evolve/cli') ? [...files, tarballs['@evolve/project']] : files;
}

/** The overrides that make `pnpm add <name>` take the packed tarballs and the compiled better-sqlite3. */
function pnpmOverrides(): string {
  const lines = Object.entries(tarballs).map(([name, file]) => `  "${name}": "file:${file}"`);
  return `\noverrides:\n${lines.join('\n')}\n  better-sqlite3: "link:${builtBetterSqlite3()}"\n`;
}

/** Follows one step of the README section in `app`; returns the last command's run. */
async function follow(step: AppStep, app: string, pm: PackageManager, last?: CommandRun) {
  const where = `README line ${step.line} (${step.kind} ${step.args.join(' ')})`;
  if (step.kind === 'install') {
    for (const argv of commandLines(step.body)) {
      expect(argv[0], where).toBe(pm);
      last = await mustRun(installArgv(argv, pm), { cwd: app, timeoutMs: 180_000 });
    }
    if (pm === 'npm') symlinkSync(builtBetterSqlite3(), join(app, 'node_modules/better-sqlite3'), 'dir');
  } else if (step.kind === 'file') {
    const file = join(app, step.args[0]!);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${step.body}\n${step.args[0] === 'pnpm-workspace.yaml' ? pnpmOverrides() : ''}`);
  } else if (step.kind === 'package.json') {
    const file = join(app, 'package.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    const add = JSON.parse(step.body) as { scripts: Record<string, string> };
    expect(manifest.scripts?.evolve, `${where}: init adds the evolve script`).toBe('evolve');
    writeFileSync(
      file,
      `${JSON.stringify({ ...manifest, scripts: { ...manifest.scripts, ...add.scripts } }, null, 2)}\n`,
    );
  } else if (step.kind === 'run' || step.kind === 'ci') {
    const exit = Number(/^exit=(\d+)$/.exec(step.args[0] ?? '')?.[1] ?? 0);
    const commands = step.kind === 'ci' ? workflowEvolveSteps(step.body) : commandLines(step.body);
    expect(commands.length, where).toBeGreaterThan(0);
    for (const argv of commands) last = await mustRun(argv, { cwd: app, exit });
  } else if (step.kind === 'stdout') {
    const printed = last?.stdout.split('\n').map((l) => l.trim()) ?? [];
    let from = 0;
    for (const line of step.body.split('\n')) {
      const at = printed.indexOf(line.trim(), from);
      expect(
        at,
        `${where}: "${line}" in the output of ${last?.command}:\n${last?.stdout}`,
      ).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  }
  return last;
}

/** Follows every step of the README's "Use evolve in your app" in an app installed with `pm`. */
async function readmeApp(pm: PackageManager) {
  const app = newApp(`${pm}-app`);
  const steps = readmeAppSteps();
  expect(steps.filter((s) => s.kind === 'install' && s.only === pm)).toHaveLength(1);
  let last: CommandRun | undefined;
  for (const step of steps) {
    if (step.only && step.only !== pm) continue;
    last = await follow(step, app, pm, last);
  }
  // What the steps relied on: the compiled startup file, the migrations applied by it, the project's shape.
  expect(existsSync(join(app, 'dist/src/main.js'))).toBe(true);
  expect(JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({
    module: 'nodenext',
    skipLibCheck: false,
  });
  const status = await mustRun(['npx', 'evolve', 'status', '--json'], { cwd: app });
  expect(JSON.parse(status.stdout).migrations).toEqual([
    { id: '0001_init', state: 'applied' },
    { id: '0002_rename_name', state: 'applied' },
  ]);
  expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type).toBe('module');
}

// The apps are independent: they install and run side by side.
describe.concurrent('apps installed from the tarballs', () => {
  it(
    'without a database driver: NO_CONFIG before init; init, generate, plan and check (CLI and API) work; up says which driver to install',
    { timeout: 240_000 },
    noDriverApp,
  );

  it.for(['npm', 'pnpm'] as const)(
    'the README\'s "Use evolve in your app" with %s, step by step: CLI, a startup file compiled by tsc, first start applies, second does nothing',
    { timeout: 300_000 },
    (pm) => readmeApp(pm),
  );
});
