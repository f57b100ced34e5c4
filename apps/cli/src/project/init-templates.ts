import { tsLiteral } from '@evolve/core';
import { parseDatabaseUrl } from '@evolve/project';

/** The databases `evolve init --database` sets a project up for. */
export type InitDatabase = 'sqlite' | 'postgres' | 'mysql' | 'mongodb';

export const INIT_DATABASES: readonly InitDatabase[] = ['sqlite', 'postgres', 'mysql', 'mongodb'];

/** The URL `evolve.config.ts` starts with, per database: a placeholder to edit (DATABASE_URL overrides it). */
export const PLACEHOLDER_URL: Record<InitDatabase, string> = {
  sqlite: 'file:./evolve.db',
  postgres: 'postgres://postgres@localhost:5432/app',
  mysql: 'mysql://root@localhost:3306/app',
  mongodb: 'mongodb://localhost:27017/app',
};

/**
 * The version ranges to install peer dependencies with: the newest releases of some (better-sqlite3 13,
 * kysely 0.29) need a newer Node.js than evolve supports, so a bare name could pick one outside evolve's
 * peer ranges. Kept equal to the packages' peerDependencies (a test compares them).
 */
export const PEER_RANGES: Readonly<Record<string, string>> = {
  zod: '^4',
  kysely: '^0.28',
  'better-sqlite3': '^12',
  pg: '^8',
  mysql2: '^3',
  mongodb: '^7',
  '@electric-sql/pglite': '^0.5',
  'kysely-pglite-dialect': '^1',
};

/** How to name a package in an install command: with its supported range for a peer dependency. */
export function installSpec(name: string): string {
  const range = PEER_RANGES[name];
  return range ? `${name}@${range}` : name;
}

/**
 * The packages an application needs at run time (the CLI itself is a dev dependency): the models and the
 * runner, zod and kysely (peer dependencies), and the driver the URL's scheme selects.
 */
export function runtimePackages(database: InitDatabase, url: string): string[] {
  if (database === 'mongodb') return ['@evolve/core', '@evolve/document', 'zod', 'mongodb'];
  const driver = parseDatabaseUrl(url, '/').driver;
  const drivers = driver === 'pglite' ? ['@electric-sql/pglite', 'kysely-pglite-dialect'] : [driver];
  return ['@evolve/core', '@evolve/sql', 'zod', 'kysely', ...drivers];
}

/** Whether this CLI accepts the URL (it tells a placeholder to write from one to leave commented out). */
function accepted(url: string): boolean {
  try {
    parseDatabaseUrl(url, '/');
    return true;
  } catch {
    return false;
  }
}

/** The text of `evolve.config.ts`. */
export function configText(options: { schema: string; url: string; database: InitDatabase }): string {
  const line = `database: { url: ${tsLiteral(options.url)} },`;
  const database = accepted(options.url)
    ? `  ${line}`
    : `  // This CLI does not open ${options.database} URLs yet; models and migrations work without one:\n  // ${line}`;
  return `import { defineConfig } from '@evolve/cli';

export default defineConfig({
  // The module whose default export is defineSchema([...]).
  schema: ${tsLiteral(`./${options.schema}`)},
  // Generated migrations, their index.ts, snapshot.json and evolve.sum.
  migrations: './migrations',
  // postgres://..., mysql://..., file:./dev.db, pglite:./pgdata. DATABASE_URL overrides it;
  // without a URL, evolve uses the SQLite file ./evolve.db beside this file.
${database}
});
`;
}

/** The starter models module: a SQL table, or a document collection for MongoDB. */
export function modelsText(database: InitDatabase): string {
  const model =
    database === 'mongodb'
      ? `export const User = defineModel('User', {
  target: 'document',
  table: 'users',
  // _id is MongoDB's own (an ObjectId unless the app sets one)
  shape: {
    email: z.string().max(200),
    name: z.string(),
  },
  indexes: [{ fields: ['email'], unique: true }],
});`
      : `export const User = defineModel('User', {
  table: 'users',
  shape: {
    id: z.number().int(),
    email: z.string().max(200),
    name: z.string(),
  },
  indexes: [{ fields: ['email'], unique: true }],
});`;
  return `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

${model}

export default defineSchema([User]);
`;
}
