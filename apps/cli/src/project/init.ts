import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EvolveError } from '@evolve/core';
import { INDEX_FILE, renderIndex } from './migrations-folder.ts';

export interface InitOptions {
  /** The project folder. Default `process.cwd()`. */
  cwd?: string;
  /** Database URL to write into the config (default: none, so the embedded SQLite file `./evolve.db`). */
  url?: string;
}

export interface InitResult {
  /** Files written, relative to `cwd`. */
  files: string[];
}

const CONFIG = (url: string | undefined) => `import { defineConfig } from 'evolve';

export default defineConfig({
  // The module whose default export is defineSchema([...]).
  schema: './src/models.ts',
  // Generated migrations, their index.ts, snapshot.json and evolve.sum.
  migrations: './migrations',
  // postgres://..., mysql://..., file:./dev.db, pglite:./pgdata. DATABASE_URL overrides it;
  // without one, evolve uses the SQLite file ./evolve.db.
  ${url ? `database: { url: ${JSON.stringify(url)} },` : "// database: { url: 'postgres://localhost:5432/app' },"}
});
`;

const MODELS = `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const User = defineModel('User', {
  table: 'users',
  shape: {
    id: z.number().int(),
    email: z.string().max(200),
    name: z.string(),
  },
  indexes: [{ fields: ['email'], unique: true }],
});

export default defineSchema([User]);
`;

/**
 * Starts an evolve project: writes `evolve.config.ts`, a starter `src/models.ts` and an empty migrations
 * folder with its `index.ts`. Refuses (`INVALID_CONFIG`, writing nothing) when any of them already exists.
 *
 * @example
 * await init({ cwd: '/app' }); // { files: ['evolve.config.ts', 'src/models.ts', 'migrations/index.ts'] }
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const plan: [string, string][] = [
    ['evolve.config.ts', CONFIG(options.url)],
    ['src/models.ts', MODELS],
    [join('migrations', INDEX_FILE), renderIndex([])],
  ];
  const existing = [
    'evolve.config.ts',
    'evolve.config.js',
    'evolve.config.mjs',
    'evolve.config.json',
    'src/models.ts',
    'migrations',
  ]
    .map((p) => join(cwd, p))
    .filter((p) => existsSync(p));
  if (existing.length > 0) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `refusing to overwrite existing files: ${existing.map((p) => relative(cwd, p)).join(', ')}`,
      { path: existing[0]! },
    );
  }
  for (const [file, text] of plan) {
    const path = join(cwd, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  }
  return { files: plan.map(([file]) => file) };
}
