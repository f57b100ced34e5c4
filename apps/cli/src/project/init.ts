import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EvolveError } from '@evolve/core';
import {
  CONFIG_FILES,
  detectPackageManager,
  INDEX_FILE,
  installCommand,
  type PackageManager,
  parseDatabaseUrl,
  renderIndex,
} from '@evolve/project';
import { ensurePackageJson } from './init-package-json.ts';
import {
  configText,
  INIT_DATABASES,
  type InitDatabase,
  installSpec,
  modelsText,
  PLACEHOLDER_URL,
  runtimePackages,
} from './init-templates.ts';

export type { InitDatabase } from './init-templates.ts';

export interface InitOptions {
  /** The project folder. Default `process.cwd()`. */
  cwd?: string;
  /** The database the project uses: it picks the URL placeholder and the driver to install. Default `sqlite`. */
  database?: InitDatabase;
  /** A database URL to write into the config instead of the placeholder (its scheme picks the database). */
  url?: string;
  /** The models module to create, relative to `cwd`. Default `src/models.ts`. */
  schema?: string;
  /** The environment to detect the package manager from (`npm_config_user_agent`). Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface InitResult {
  /** Files written (package.json only when it was created), relative to `cwd`. */
  files: string[];
  database: InitDatabase;
  /** The models module, relative to `cwd`. */
  schema: string;
  packageJson: {
    status: 'created' | 'updated' | 'unchanged';
    /** What an update added (`"type": "module"`, `an "evolve" script`). */
    added: string[];
    type: string | undefined;
    /** Why `"type": "module"` was not set, when it was not. */
    typeNote?: string;
  };
  packageManager: PackageManager;
  /** The commands that install what the project still lacks (none when package.json declares it all). */
  install: string[];
}

function databaseOf(options: InitOptions): InitDatabase {
  if (options.database !== undefined) {
    if (!INIT_DATABASES.includes(options.database)) {
      throw new EvolveError(
        'INVALID_CONFIG',
        `unknown database "${options.database}" (use ${INIT_DATABASES.join(', ')})`,
        { path: 'database' },
      );
    }
    return options.database;
  }
  if (options.url === undefined) return 'sqlite';
  if (/^mongodb(\+srv)?:/i.test(options.url)) return 'mongodb';
  return parseDatabaseUrl(options.url, '/').dialect;
}

/**
 * Starts an evolve project in an empty folder or an existing app: `evolve.config.ts`, a starter models module
 * and an empty migrations folder, plus package.json (created, or given an `evolve` script and, when that is
 * safe, `"type": "module"`). Installs nothing: the result names the install commands for what the chosen
 * database needs. Refuses (`INVALID_CONFIG`, writing nothing) when a config, the models module or the
 * migrations folder exists.
 *
 * @example
 * const result = await init({ cwd: '/app', database: 'postgres' });
 * result.install; // ['npm install @evolve/core @evolve/sql zod@^4 kysely@^0.28 pg@^8', 'npm install --save-dev @evolve/cli']
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const database = databaseOf(options);
  const url = options.url ?? PLACEHOLDER_URL[database];
  const schema = (options.schema ?? 'src/models.ts').replace(/^\.\//, '');
  const plan: [string, string][] = [
    ['evolve.config.ts', configText({ schema, url, database })],
    [schema, modelsText(database)],
    [join('migrations', INDEX_FILE), renderIndex([])],
  ];
  const existing = [...CONFIG_FILES, schema, 'migrations']
    .map((p) => join(cwd, p))
    .filter((p) => existsSync(p));
  if (existing.length > 0) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `refusing to overwrite existing files: ${existing.map((p) => relative(cwd, p)).join(', ')}`,
      { path: existing[0]! },
    );
  }
  mkdirSync(cwd, { recursive: true });
  const manifest = ensurePackageJson(cwd);
  for (const [file, text] of plan) {
    const path = join(cwd, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  }
  const runtime = runtimePackages(database, url);
  const manager = detectPackageManager(cwd, options.env);
  const missing = (names: readonly string[]) =>
    names.filter((n) => !manifest.declared.has(n)).map(installSpec);
  const install = [
    installCommand(manager, missing(runtime)),
    installCommand(manager, missing(['@evolve/cli']), { dev: true }),
  ].filter((c): c is string => c !== undefined);
  return {
    files: [...(manifest.status === 'created' ? ['package.json'] : []), ...plan.map(([file]) => file)],
    database,
    schema,
    packageJson: {
      status: manifest.status,
      added: manifest.added,
      type: manifest.type,
      ...(manifest.typeNote ? { typeNote: manifest.typeNote } : {}),
    },
    packageManager: manager,
    install,
  };
}
