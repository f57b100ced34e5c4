// `evolve generate` with no model changes, answered without loading the models (and zod): the last run that
// found the models equal to snapshot.json records the fingerprint of the config and schema sources and the
// snapshot's hash; while all three are the same, the answer is the same. Only a built CLI uses it (its build id
// or version is part of the key), only for `generate`, and EVOLVE_NO_CACHE=1 turns it off. `check` never uses it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { schemaFingerprint } from './schema-fingerprint.ts';

declare const __EVOLVE_BUILD_ID__: string | undefined;
declare const __EVOLVE_BUNDLE__: boolean | undefined;

/** The workspace bundle carries the evolve packages inside (keyed by its build id); the npm package does not. */
const BUNDLES_PACKAGES = typeof __EVOLVE_BUNDLE__ !== 'undefined' && __EVOLVE_BUNDLE__;

/** The config file names, in the order loadConfig looks for them. */
const CONFIG_FILES = [
  'evolve.config.ts',
  'evolve.config.mts',
  'evolve.config.js',
  'evolve.config.mjs',
  'evolve.config.json',
];

interface Entry {
  config: string;
  schemaPath: string;
  migrationsDir: string;
  schema: string;
  snapshot: string;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function buildId(): string | undefined {
  if (process.env.EVOLVE_NO_CACHE) return undefined;
  return typeof __EVOLVE_BUILD_ID__ === 'undefined' ? undefined : __EVOLVE_BUILD_ID__;
}

/** Package name -> the real folder whose sources the workspace bundle carries (see bundled-aliases.ts). */
declare const __EVOLVE_BUNDLED_FROM__: Record<string, string> | undefined;

/**
 * Whether the workspace bundle's own copy serves a file's import of an evolve package: the project has none
 * of its own, or has the very folder the bundle was built from (bundled-aliases.ts in @evolve/project).
 */
function servedByBundle(specifier: string, from: string): boolean {
  if (!BUNDLES_PACKAGES || !specifier.startsWith('@evolve/')) return false;
  const name = specifier.split('/').slice(0, 2).join('/');
  const bundled = typeof __EVOLVE_BUNDLED_FROM__ === 'undefined' ? {} : __EVOLVE_BUNDLED_FROM__;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const folder = join(dir, 'node_modules', name);
    if (existsSync(join(folder, 'package.json'))) return realpathSync(folder) === bundled[name];
    if (dirname(dir) === dir) return true;
  }
}

const fingerprint = (file: string, build: string) =>
  schemaFingerprint(file, { build, fixed: servedByBundle });

function snapshotSha(migrationsDir: string): string | undefined {
  // A set of writes a killed generate left behind is for the full CLI to complete (folder-transaction.ts).
  if (existsSync(join(migrationsDir, '.evolve-tx.json'))) return undefined;
  const file = join(migrationsDir, 'snapshot.json');
  return existsSync(file) ? sha(readFileSync(file, 'utf8')) : undefined;
}

function entryFile(configPath: string | undefined, root: string): string {
  const dir = join(tmpdir(), `evolve-cache-${userInfo().uid}`);
  return join(dir, `generate-${sha(configPath ?? `no config in ${root}`).slice(0, 32)}.json`);
}

/** The config file `loadConfig` would use for these options (without loading it). */
export function findConfigFile(options: { cwd?: string; config?: string }): {
  root: string;
  configPath?: string;
} {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.config) return { root: cwd, configPath: resolve(cwd, options.config) };
  const found = CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  return found ? { root: cwd, configPath: found } : { root: cwd };
}

/** Whether a previous run proved the models unchanged and none of their sources changed since. */
export function knownUnchanged(options: { cwd?: string; config?: string }): boolean {
  const build = buildId();
  if (!build) return false;
  try {
    const { root, configPath } = findConfigFile(options);
    if (!configPath) return false; // `generate` reports NO_CONFIG
    const file = entryFile(configPath, root);
    if (!existsSync(file)) return false;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    const config = configPath ? fingerprint(configPath, build) : 'none';
    if (!config || config !== entry.config) return false;
    const snapshot = snapshotSha(entry.migrationsDir);
    if (!snapshot || snapshot !== entry.snapshot) return false;
    const schema = fingerprint(entry.schemaPath, build);
    return schema !== undefined && schema === entry.schema;
  } catch {
    return false;
  }
}

/** Records that the models (as their sources are now) match snapshot.json. Best effort: never throws. */
export function rememberUnchanged(config: {
  root: string;
  configPath?: string;
  schemaPath: string;
  migrationsDir: string;
}): void {
  const build = buildId();
  if (!build) return;
  try {
    const configPrint = config.configPath ? fingerprint(config.configPath, build) : 'none';
    const schema = fingerprint(config.schemaPath, build);
    const snapshot = snapshotSha(config.migrationsDir);
    const file = entryFile(config.configPath, config.root);
    if (!configPrint || !schema || !snapshot) return;
    const entry: Entry = {
      config: configPrint,
      schemaPath: config.schemaPath,
      migrationsDir: config.migrationsDir,
      schema,
      snapshot,
    };
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(entry));
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
