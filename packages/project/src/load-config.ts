import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { EvolveError } from '@evolve/core';
import type { EvolveConfig } from './define-config.ts';
import { type DatabaseTarget, parseDatabaseUrl } from './dialects/parse-database-url.ts';
import { importModule } from './import-module.ts';

/** The configuration with every path absolute and the database resolved. */
export interface ResolvedConfig {
  /** The project root: the config file's folder. */
  root: string;
  /** The config file. */
  configPath?: string;
  schemaPath: string;
  migrationsDir: string;
  database: DatabaseTarget;
  /**
   * The MongoDB database of the document models: `database` itself when its URL is `mongodb://`, else
   * `database.documents` when configured. Without it, document models are JSON rows in the SQL database.
   */
  documents?: DatabaseTarget;
  /** Where the database came from: `--url`, `DATABASE_URL`, the config file, or the embedded default. */
  databaseSource: 'option' | 'env' | 'config' | 'default';
}

export interface LoadConfigOptions {
  /** Folder to look for `evolve.config.*` in. Default `process.cwd()`. */
  cwd?: string;
  /** An explicit config file (relative to `cwd`). */
  configPath?: string;
  /** A database URL that overrides the config file and `DATABASE_URL` (the CLI's `--url`). */
  url?: string;
  /** Environment to read `DATABASE_URL` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export const CONFIG_FILES = [
  'evolve.config.ts',
  'evolve.config.mts',
  'evolve.config.js',
  'evolve.config.mjs',
  'evolve.config.json',
];
export const DEFAULT_DATABASE_URL = 'file:./evolve.db';

/**
 * Finds and reads `evolve.config.ts` (or `.js`, `.mjs`, `.json`) in `cwd` and resolves it: absolute paths,
 * defaults (`./src/models.ts`, `./migrations`, the embedded database file `./evolve.db` beside the config), and the
 * database URL with `--url` > `DATABASE_URL` > config > default. Without a config file it throws `NO_CONFIG`
 * (pointing at `evolve init`): a folder is an evolve project only when it says so.
 *
 * @example
 * const config = await loadConfig({ cwd: '/app' });
 * config.migrationsDir; // '/app/migrations'
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const configPath = findConfig(cwd, options.configPath);
  if (!configPath) {
    throw new EvolveError(
      'NO_CONFIG',
      'no evolve.config.ts (or .mts, .js, .mjs, .json) in this folder: run `evolve init` to start a project here, or pass --cwd <project folder> or --config <file>',
      { path: cwd },
    );
  }
  const raw = await readConfig(configPath);
  const root = dirname(configPath);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const fromOption = options.url;
  const fromEnv = env.DATABASE_URL || undefined;
  const fromConfig = raw.database?.url;
  const url = fromOption ?? fromEnv ?? fromConfig ?? DEFAULT_DATABASE_URL;
  const databaseSource = fromOption ? 'option' : fromEnv ? 'env' : fromConfig ? 'config' : 'default';
  const database = parseDatabaseUrl(url, root);
  let documents: DatabaseTarget | undefined = database.dialect === 'mongodb' ? database : undefined;
  const documentsUrl = raw.database?.documents;
  if (documentsUrl !== undefined) {
    const target = parseDatabaseUrl(documentsUrl, root);
    const path = `${configPath}#database.documents`;
    if (target.dialect !== 'mongodb') {
      throw new EvolveError(
        'INVALID_CONFIG',
        '"database.documents" must be a mongodb:// URL (the SQL database is "database.url")',
        { path },
      );
    }
    if (database.dialect === 'mongodb' && target.url !== database.url) {
      throw new EvolveError(
        'INVALID_CONFIG',
        '"database.url" is already a MongoDB URL: leave "database.documents" out, or make "database.url" the SQL database',
        { path },
      );
    }
    documents = target;
  }
  return {
    root,
    configPath,
    schemaPath: at(raw.schema ?? './src/models.ts'),
    migrationsDir: at(raw.migrations ?? './migrations'),
    database,
    ...(documents ? { documents } : {}),
    databaseSource,
  };
}

function findConfig(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new EvolveError('INVALID_CONFIG', 'the config file does not exist', { path: file });
    }
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

async function readConfig(file: string): Promise<EvolveConfig> {
  let value: unknown;
  if (file.endsWith('.json')) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new EvolveError(
        'INVALID_CONFIG',
        `the config file is not valid JSON: ${(error as Error).message}`,
        {
          path: file,
        },
      );
    }
  } else {
    const mod = await settleWithin(
      importModule(file, { code: 'INVALID_CONFIG', what: 'config file' }),
      configTimeoutMs(),
      file,
    );
    value = mod.default ?? mod;
    if (value instanceof Promise) value = await settleWithin(value, configTimeoutMs(), file);
  }
  return validateConfig(value, file);
}

/** How long a config module may take to load: 30 s, or `EVOLVE_CONFIG_TIMEOUT_MS` (a positive integer). */
function configTimeoutMs(): number {
  const raw = process.env.EVOLVE_CONFIG_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 30_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `EVOLVE_CONFIG_TIMEOUT_MS must be a positive integer (ms), got '${raw}'`,
      {
        path: 'EVOLVE_CONFIG_TIMEOUT_MS',
      },
    );
  }
  return ms;
}

/** A config that never settles is an error with a code, not a silent exit 13 (Node's unsettled top-level await). */
function settleWithin<T>(promise: Promise<T>, ms: number, file: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EvolveError(
            'INVALID_CONFIG',
            `the config file ${basename(file)} did not finish loading within ${ms / 1000} s (a promise that never settles?)`,
            {
              path: file,
            },
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function validateConfig(value: unknown, file: string): EvolveConfig {
  const fail = (message: string, key?: string): never => {
    throw new EvolveError('INVALID_CONFIG', message, { path: key ? `${file}#${key}` : file });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('the config file must export an object (export default defineConfig({ ... }))');
  }
  const config = value as Record<string, unknown>;
  const known = new Set(['schema', 'migrations', 'database']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) fail(`unknown config key "${key}" (known: ${[...known].join(', ')})`, key);
  }
  for (const key of ['schema', 'migrations'] as const) {
    if (config[key] !== undefined && (typeof config[key] !== 'string' || config[key] === '')) {
      fail(`"${key}" must be a non-empty string`, key);
    }
  }
  const database = config.database;
  if (database !== undefined) {
    if (database === null || typeof database !== 'object')
      fail('"database" must be an object { url, documents? }', 'database');
    for (const key of Object.keys(database as object)) {
      if (key !== 'url' && key !== 'documents')
        fail(`unknown key "database.${key}" (known: url, documents)`, `database.${key}`);
    }
    for (const key of ['url', 'documents'] as const) {
      const value = (database as Record<string, unknown>)[key];
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        fail(`"database.${key}" must be a non-empty string`, `database.${key}`);
      }
    }
  }
  return config as EvolveConfig;
}
