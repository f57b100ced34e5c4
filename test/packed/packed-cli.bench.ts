/**
 * Benchmark: the published CLI as an app gets it (`pnpm build`, `pnpm pack`, npm install in a temporary folder
 * outside the repository), each figure beside its baseline in the same run:
 *  1. `evolve --help` (the bin, as package.json scripts run it, and through `npx`) beside `node -e 0`.
 *     Goal: within 2x of `node -e 0`. `npx` adds npm's own start-up: `npx trivial`, a local bin that does
 *     nothing installed in the same app, shows what npx costs before any package's code runs.
 *  2. `evolve generate` with no changes and no cache (EVOLVE_NO_CACHE=1; evolve transpiles the project's
 *     modules with no cache of its own) beside `drizzle-kit generate` with no changes, equivalent two-table
 *     SQLite schemas. Goal: at least 3x faster. The cached answer is shown too, and so is the floor any
 *     generate of these models pays: Node importing the zod and @evolve/core they import.
 *  3. Install size of @evolve/cli with its required dependencies (the evolve packages, zod and kysely, no
 *     driver) beside drizzle-kit's (`npm install drizzle-kit`), bytes of node_modules. Goal: smaller.
 * Medians of alternating runs of fresh processes: wall time (what the goals are about) and CPU time (steadier
 * on a busy machine). Run: npx tsx test/packed/packed-cli.bench.ts (or pnpm bench).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { summary } from '../../bench/summary.ts';
import { buildAndPack } from './support/pack-workspace.ts';
import { appEnv, mustRun } from './support/run-command.ts';

const RUNS = 15;

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

interface Sample {
  wall: number;
  /** User + system CPU ms of the process and its children (via /usr/bin/time where it exists, else NaN). */
  cpu: number;
}

/** Wall-clock ms (and CPU ms) of one run of `argv` (no shell). */
function time(argv: string[], cwd: string, env: Record<string, string> = {}): Sample {
  const [file, args] = hasTime ? [TIME, ['-f', '%U %S', ...argv]] : [argv[0]!, argv.slice(1)];
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd, env: appEnv(env), encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  const cpu = hasTime
    ? (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').reduce((a, b) => a + Number(b) * 1000, 0)
    : Number.NaN;
  return { wall, cpu };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median wall and CPU times of `runs` alternating runs of each command, after one warm-up run each. */
function medians(
  commands: { argv: string[]; cwd: string; env?: Record<string, string> }[],
  runs = RUNS,
): Sample[] {
  for (const c of commands) time(c.argv, c.cwd, c.env);
  const samples = commands.map(() => [] as Sample[]);
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => {
      samples[j]!.push(time(c.argv, c.cwd, c.env));
    });
  }
  return samples.map((s) => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)) }));
}

/** Bytes of the files below a folder (symbolic links not followed; a file hard-linked twice counted once). */
function bytes(dir: string): number {
  let total = 0;
  const seen = new Set<number>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = statSync(join(entry.parentPath, entry.name));
    if (stat.nlink > 1 && seen.has(stat.ino)) continue;
    seen.add(stat.ino);
    total += stat.size;
  }
  return total;
}

const MODELS = `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const User = defineModel('User', {
  table: 'users',
  shape: { id: z.number().int(), email: z.string(), name: z.string() },
});
export const Post = defineModel('Post', {
  table: 'posts',
  shape: { id: z.number().int(), userId: z.number().int(), title: z.string(), body: z.string() },
  foreignKeys: [{ fields: ['userId'], references: { model: 'User', fields: ['id'] } }],
});
export default defineSchema([User, Post]);
`;

const DRIZZLE_SCHEMA = `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email').notNull(), name: text('name').notNull() });
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  userId: integer('userId').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
});
`;

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'evolve-packed-bench-'));
  try {
    const tarballs = await buildAndPack(join(root, 'tarballs'));
    const app = join(root, 'evolve-app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), '{ "name": "evolve-app", "private": true, "type": "module" }\n');
    await mustRun(['npm', 'install', ...Object.values(tarballs)], { cwd: app, timeoutMs: 300_000 });
    const evolveBytes = bytes(join(app, 'node_modules'));
    // A bin that does nothing, installed like any package: `npx trivial` is npx's own start-up.
    const trivial = join(root, 'trivial-bin');
    mkdirSync(trivial);
    writeFileSync(
      join(trivial, 'package.json'),
      '{ "name": "trivial-bin", "version": "1.0.0", "bin": { "trivial": "bin.js" } }\n',
    );
    writeFileSync(join(trivial, 'bin.js'), '#!/usr/bin/env node\n');
    await mustRun(['npm', 'pack', '--pack-destination', root], { cwd: trivial });
    await mustRun(['npm', 'install', join(root, 'trivial-bin-1.0.0.tgz')], { cwd: app, timeoutMs: 300_000 });

    const drizzle = join(root, 'drizzle-app');
    mkdirSync(drizzle, { recursive: true });
    writeFileSync(join(drizzle, 'package.json'), '{ "name": "drizzle-app", "private": true }\n');
    await mustRun(['npm', 'install', 'drizzle-kit@~0.31'], { cwd: drizzle, timeoutMs: 300_000 });
    const drizzleBytes = bytes(join(drizzle, 'node_modules'));
    await mustRun(['npm', 'install', 'drizzle-orm@^0.45'], { cwd: drizzle, timeoutMs: 300_000 });

    writeFileSync(join(app, 'evolve.config.mjs'), "export default { schema: './src/models.ts' };\n");
    writeFileSync(join(app, 'src/models.ts'), MODELS);
    writeFileSync(
      join(drizzle, 'drizzle.config.ts'),
      "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './schema.ts', out: './drizzle' });\n",
    );
    writeFileSync(join(drizzle, 'schema.ts'), DRIZZLE_SCHEMA);
    const bin = join(app, 'node_modules/@evolve/cli/dist/bin.js');
    const drizzleBin = join(drizzle, 'node_modules/drizzle-kit/bin.cjs');
    // The first generate of each writes the initial migration; the measured runs find no changes.
    time(['node', bin, 'generate', 'init'], app);
    time(['node', drizzleBin, 'generate'], drizzle);

    const [floorRun, helpRun] = medians([
      { argv: ['node', '-e', '0'], cwd: app },
      { argv: ['node', bin, '--help'], cwd: app },
    ]) as [Sample, Sample];
    const [npmRun, npxTrivialRun, npxHelpRun] = medians(
      [
        { argv: ['npm', '--version'], cwd: app },
        { argv: ['npx', 'trivial'], cwd: app },
        { argv: ['npx', 'evolve', '--help'], cwd: app },
      ],
      7,
    ) as [Sample, Sample, Sample];
    const [drizzleRun, uncachedRun, cachedRun, zodFloorRun] = medians([
      { argv: ['node', drizzleBin, 'generate'], cwd: drizzle },
      { argv: ['node', bin, 'generate'], cwd: app, env: { EVOLVE_NO_CACHE: '1' } },
      { argv: ['node', bin, 'generate'], cwd: app },
      { argv: ['node', '--input-type=module', '-e', "import 'zod'; import '@evolve/core';"], cwd: app },
    ]) as [Sample, Sample, Sample, Sample];
    const [floor, help, npxTrivial, npxHelp] = [
      floorRun.wall,
      helpRun.wall,
      npxTrivialRun.wall,
      npxHelpRun.wall,
    ];
    const [drizzleGenerate, uncached, cached, zodFloor] = [
      drizzleRun.wall,
      uncachedRun.wall,
      cachedRun.wall,
      zodFloorRun.wall,
    ];

    const row = (name: string, run: Sample, note = '') =>
      console.log(
        `${name.padEnd(50)} ${run.wall.toFixed(1).padStart(8)} ms ${Number.isNaN(run.cpu) ? '' : `(cpu ${run.cpu.toFixed(0).padStart(4)} ms)`}  ${note}`,
      );
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    console.log(
      `Packed CLI benchmark: medians of alternating fresh processes (load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores)`,
    );
    row('node -e 0 (baseline)', floorRun);
    row(
      'evolve --help (node_modules/.bin/evolve)',
      helpRun,
      `${(help / floor).toFixed(2)}x node -e 0; goal <= 2x: ${help <= 2 * floor ? 'met' : 'NOT met'}`,
    );
    row('npm --version (npm start-up)', npmRun);
    row(
      'npx trivial (a local bin that does nothing)',
      npxTrivialRun,
      `${(npxTrivial / floor).toFixed(2)}x node -e 0: npx alone, before any package's code`,
    );
    row(
      'npx evolve --help',
      npxHelpRun,
      `${(npxHelp / floor).toFixed(2)}x node -e 0; goal <= 2x: ${npxHelp <= 2 * floor ? 'met' : `NOT met (npx trivial alone is ${(npxTrivial / floor).toFixed(2)}x)`}; evolve's share ${(npxHelp - npxTrivial).toFixed(0)} ms`,
    );
    row('drizzle-kit generate, no changes (baseline)', drizzleRun);
    row(
      'evolve generate, no changes, EVOLVE_NO_CACHE=1',
      uncachedRun,
      `${(drizzleGenerate / uncached).toFixed(2)}x faster (cpu ${(drizzleRun.cpu / uncachedRun.cpu).toFixed(2)}x); goal >= 3x: ${drizzleGenerate / uncached >= 3 ? 'met' : 'NOT met'}`,
    );
    row(
      'node importing zod and @evolve/core (floor)',
      zodFloorRun,
      `what the models' imports cost any generate; drizzle-kit is ${(drizzleGenerate / zodFloor).toFixed(2)}x this (cpu ${(drizzleRun.cpu / zodFloorRun.cpu).toFixed(2)}x)`,
    );
    row(
      'evolve generate, no changes (generate cache)',
      cachedRun,
      `${(drizzleGenerate / cached).toFixed(2)}x faster`,
    );
    console.log(
      `install size: @evolve/cli with its required dependencies ${mb(evolveBytes)}, drizzle-kit ${mb(drizzleBytes)} (${(evolveBytes / drizzleBytes).toFixed(2)}x); goal smaller: ${evolveBytes < drizzleBytes ? 'met' : 'NOT met'}`,
    );
    summary({
      bench: 'packed-cli',
      checks: [
        {
          figure: `npx evolve --help ${(npxHelp / floor).toFixed(2)}x node -e 0`,
          goal: '<= 2x',
          met: npxHelp <= 2 * floor,
        },
        {
          figure: `generate ${(drizzleGenerate / uncached).toFixed(2)}x faster than drizzle-kit`,
          goal: '>= 3x',
          met: drizzleGenerate / uncached >= 3,
        },
        {
          figure: `install ${(evolveBytes / drizzleBytes).toFixed(2)}x drizzle-kit's`,
          goal: '< 1x',
          met: evolveBytes < drizzleBytes,
        },
      ],
    });
    if (loadavg()[0]! > availableParallelism()) {
      console.log(
        'note: the machine is busy (load average above its core count): wall times include waiting for a CPU; CPU times (user + system, children included) do not.',
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
