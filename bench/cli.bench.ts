/**
 * Benchmark: CLI start-up and a no-op generate, each beside its baseline in the same run.
 *  1. `evolve --help` (the bundled CLI) beside `node -e 0` (the Node.js floor). Target: under 150 ms.
 *  2. `evolve generate` with no model changes beside `drizzle-kit generate` with no schema changes, on an
 *     equivalent two-table schema (users, posts with a foreign key), both on SQLite. Target: at least 3x faster.
 * Wall-clock medians of several runs of fresh processes (`node <bin>` for both tools, no shell wrappers).
 * Run: npx tsx bench/cli.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../apps/cli/scripts/build.ts';

const RUNS = 11;
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside apps/cli so the evolve project resolves @evolve/* and zod; drizzle-kit resolves from the root.
const work = join(root, 'apps/cli/test/.tmp', `bench-${process.pid}`);
const drizzleBin = join(root, 'node_modules/drizzle-kit/bin.cjs');

function time(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return ms;
}

/** Median wall time of RUNS runs, after one warm-up run (file-system caches, jiti's transform cache). */
function median(args: string[], cwd: string): number {
  time(args, cwd);
  const samples = Array.from({ length: RUNS }, () => time(args, cwd)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
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

    const nodeFloor = median(['-e', '0'], work);
    const help = median([bin, '--help'], work);
    const evolveGenerate = median([bin, 'generate'], evolveDir);
    const drizzleGenerate = median([drizzleBin, 'generate'], drizzleDir);

    const row = (name: string, ms: number, note: string) =>
      console.log(`${name.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms  ${note}`);
    console.log(`CLI benchmark: median of ${RUNS} runs each (load average ${loadavg()[0]!.toFixed(2)})`);
    row('node -e 0 (baseline)', nodeFloor, '');
    row(
      'evolve --help',
      help,
      `${(help - nodeFloor).toFixed(1)} ms above node -e 0; target < 150 ms: ${help < 150 ? 'met' : 'NOT met'}`,
    );
    row('drizzle-kit generate, no changes (baseline)', drizzleGenerate, '');
    row(
      'evolve generate, no changes',
      evolveGenerate,
      `${(drizzleGenerate / evolveGenerate).toFixed(2)}x faster than drizzle-kit; target >= 3x: ${drizzleGenerate / evolveGenerate >= 3 ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
