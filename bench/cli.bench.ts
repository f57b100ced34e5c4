/**
 * Benchmark: CLI start-up and a no-op generate, each beside its baseline in the same run.
 *  1. `evolve --help` (the bundled CLI) beside `node -e 0` (the Node.js floor). Target: under 150 ms.
 *  2. `evolve generate` with no model changes beside `drizzle-kit generate` with no schema changes, on an
 *     equivalent two-table schema (users, posts with a foreign key), both on SQLite. Target: at least 3x faster.
 *     evolve answers an unchanged project from its generate cache (keyed by the sources of the models and
 *     snapshot.json); the run with EVOLVE_NO_CACHE=1 loads and diffs the models every time.
 * Wall-clock (and CPU) medians of 15 alternating runs of fresh processes (`node <bin>` for both tools, no shell
 * wrappers).
 * Run: npx tsx bench/cli.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../apps/cli/scripts/build.ts';
import { summary } from './summary.ts';

const RUNS = 15;
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside apps/cli so the evolve project resolves @evolve/* and zod; drizzle-kit resolves from the root.
const work = join(root, 'apps/cli/test/.tmp', `bench-${process.pid}`);
const drizzleBin = join(root, 'node_modules/drizzle-kit/bin.cjs');

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/** Wall-clock ms of one run, and its CPU ms (user + system, via /usr/bin/time where it exists). */
function time(args: string[], cwd: string, env: Record<string, string> = {}): { wall: number; cpu: number } {
  const command = hasTime ? TIME : process.execPath;
  const argv = hasTime ? ['-f', '%U %S', process.execPath, ...args] : args;
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  const cpu = hasTime
    ? (result.stderr.trim().split('\n').at(-1) ?? '0 0').split(' ').reduce((a, b) => a + Number(b) * 1000, 0)
    : Number.NaN;
  return { wall, cpu };
}

const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Median wall and CPU times of RUNS runs of each command, after one warm-up run each (file-system caches).
 * The commands' runs alternate, so a burst of load on a shared machine hits both.
 */
function medians(
  commands: { args: string[]; cwd: string; env?: Record<string, string> }[],
): { wall: number; cpu: number }[] {
  for (const c of commands) time(c.args, c.cwd, c.env);
  const samples = commands.map(() => [] as { wall: number; cpu: number }[]);
  for (let i = 0; i < RUNS; i++) {
    commands.forEach((c, j) => {
      samples[j]!.push(time(c.args, c.cwd, c.env));
    });
  }
  return samples.map((s) => ({ wall: mid(s.map((x) => x.wall)), cpu: mid(s.map((x) => x.cpu)) }));
}

function evolveProject(dir: string) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'evolve.config.mjs'),
    "export default { schema: './src/models.ts', migrations: './migrations' };\n",
  );
  writeFileSync(
    join(dir, 'src/models.ts'),
    `import { defineModel, defineSchema } from '@evolve/core';
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
`,
  );
}

function drizzleProject(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './schema.ts', out: './drizzle' });\n",
  );
  writeFileSync(
    join(dir, 'schema.ts'),
    `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email').notNull(), name: text('name').notNull() });
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  userId: integer('userId').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
});
`,
  );
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const bin = await buildCli({ quiet: true, outdir: join(work, 'dist') });
    const evolveDir = join(work, 'evolve-project');
    const drizzleDir = join(work, 'drizzle-project');
    evolveProject(evolveDir);
    drizzleProject(drizzleDir);
    // The first generate of each writes the initial migration; the measured runs find no changes.
    time([bin, 'generate', 'init'], evolveDir);
    time([drizzleBin, 'generate'], drizzleDir);

    const [nodeFloor, help] = medians([
      { args: ['-e', '0'], cwd: work },
      { args: [bin, '--help'], cwd: work },
    ]) as [{ wall: number; cpu: number }, { wall: number; cpu: number }];
    type Times = { wall: number; cpu: number };
    const [drizzleGenerate, evolveGenerate, evolveUncached] = medians([
      { args: [drizzleBin, 'generate'], cwd: drizzleDir },
      { args: [bin, 'generate'], cwd: evolveDir },
      { args: [bin, 'generate'], cwd: evolveDir, env: { EVOLVE_NO_CACHE: '1' } },
    ]) as [Times, Times, Times];

    const row = (name: string, t: { wall: number; cpu: number }, note: string) =>
      console.log(
        `${name.padEnd(44)} ${t.wall.toFixed(1).padStart(8)} ms ${t.cpu.toFixed(0).padStart(6)} ms  ${note}`,
      );
    console.log(
      `CLI benchmark: median of ${RUNS} runs each (load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores)`,
    );
    console.log(`${''.padEnd(44)} ${'wall'.padStart(11)} ${'cpu'.padStart(9)}`);
    row('node -e 0 (baseline)', nodeFloor, '');
    row(
      'evolve --help',
      help,
      `${(help.wall - nodeFloor.wall).toFixed(1)} ms above node -e 0; target < 150 ms: ${help.wall < 150 ? 'met' : 'NOT met'}`,
    );
    row('drizzle-kit generate, no changes (baseline)', drizzleGenerate, '');
    const ratio = drizzleGenerate.wall / evolveGenerate.wall;
    row(
      'evolve generate, no changes',
      evolveGenerate,
      `${ratio.toFixed(2)}x faster (wall), ${(drizzleGenerate.cpu / evolveGenerate.cpu).toFixed(2)}x (cpu); target >= 3x: ${ratio >= 3 ? 'met' : 'NOT met'}`,
    );
    row(
      'evolve generate, no changes, EVOLVE_NO_CACHE=1',
      evolveUncached,
      `${(drizzleGenerate.wall / evolveUncached.wall).toFixed(2)}x faster (wall), ${(drizzleGenerate.cpu / evolveUncached.cpu).toFixed(2)}x (cpu): models loaded and diffed`,
    );
    summary({
      bench: 'cli',
      checks: [
        { figure: `evolve --help ${help.wall.toFixed(0)} ms`, goal: '< 150 ms', met: help.wall < 150 },
        { figure: `generate ${ratio.toFixed(2)}x faster than drizzle-kit`, goal: '>= 3x', met: ratio >= 3 },
      ],
    });
    if (loadavg()[0]! > availableParallelism()) {
      console.log(
        'note: the machine is busy (load average above its core count): wall times include waiting for a CPU.',
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
