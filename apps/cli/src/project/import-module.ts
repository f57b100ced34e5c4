import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvolveError } from '@evolve/core';
import { detectPackageManager, installCommand } from './install-command.ts';
import { missingPackage } from './load-driver.ts';

declare const __EVOLVE_BUNDLE__: boolean | undefined;
declare const __EVOLVE_ZOD_VERSION__: string | undefined;

type Jiti = { import<T = unknown>(id: string, opts?: { default?: boolean }): Promise<T> };
const loaders = new Map<string, Jiti>();

/**
 * In the bundled CLI, the project's imports of `@evolve/*` resolve to the CLI's own copies (one instance of
 * each package in the process), and so does `zod` when the project's zod is the exact version bundled
 * (one file instead of zod's many modules: the largest part of a command's start-up). From source, every
 * import resolves through node_modules as usual.
 */
function bundledAliases(file: string): Record<string, string> {
  if (typeof __EVOLVE_BUNDLE__ === 'undefined' || !__EVOLVE_BUNDLE__) return {};
  const at = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const aliases: Record<string, string> = {
    '@evolve/core': at('./lib-core.mjs'),
    '@evolve/sql': at('./lib-sql.mjs'),
    '@evolve/document': at('./lib-document.mjs'),
    '@evolve/cli': at('./lib-evolve.mjs'),
  };
  if (projectZodVersion(file) === __EVOLVE_ZOD_VERSION__) {
    aliases.zod = at('./lib-zod.mjs');
    aliases['zod/v4'] = at('./lib-zod.mjs');
  }
  return aliases;
}

/** The version of the zod a project file would import, if it resolves one. */
function projectZodVersion(file: string): string | undefined {
  try {
    const pkg = createRequire(file).resolve('zod/package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function loader(file: string): Promise<Jiti> {
  const dir = dirname(file);
  let jiti = loaders.get(dir);
  if (!jiti) {
    // require(), not import(): importing jiti's CommonJS build from ESM makes Node lex all of it (~60 ms).
    const { createJiti } = createRequire(import.meta.url)('jiti') as typeof import('jiti');
    jiti = createJiti(import.meta.url, {
      moduleCache: false,
      interopDefault: true,
      alias: bundledAliases(file),
    }) as unknown as Jiti;
    loaders.set(dir, jiti);
  }
  return jiti;
}

/**
 * Imports a project module (config, schema, migrations) — TypeScript or JavaScript — fresh on every call,
 * so a long-running process sees edits. Failures become `INVALID_CONFIG`-style errors naming the file.
 *
 * @example
 * const mod = await importModule('/app/src/models.ts', { code: 'INVALID_SCHEMA', what: 'the schema module' });
 */
export async function importModule(
  file: string,
  options: { code: 'INVALID_CONFIG' | 'INVALID_SCHEMA' | 'INVALID_MIGRATION'; what: string },
): Promise<Record<string, unknown>> {
  const load = await loader(file);
  try {
    return (await load.import(file)) as Record<string, unknown>;
  } catch (error) {
    if (isEvolveErrorLike(error)) throw error;
    // jiti reads `.then` of the module's default export: `export default null` fails inside it
    if (error instanceof TypeError && /of (null|undefined) \(reading 'then'\)/.test(error.message)) {
      throw new EvolveError(
        options.code,
        `the ${options.what} exports nothing usable (its default export is null or undefined)`,
        {
          path: file,
        },
      );
    }
    const text = error instanceof Error ? error.message : String(error);
    const message = text.split('\n')[0]?.trim() ?? text;
    // A parse error names the broken file on a later line ("/app/migrations/0001_x.ts:5:0"), which may be
    // a module the requested file imports: report that file, not the importer.
    const location = /(\/[^\s:]+\.[cm]?[jt]s):(\d+):(\d+)/.exec(text);
    const at = location ? `${location[1]}:${location[2]}:${location[3]}` : undefined;
    // A package the project's module imports but the project lacks: say what to install.
    const missing = missingPackage(error);
    const install = missing
      ? ` (install it: ${installCommand(detectPackageManager(projectRoot(file)), [missing])})`
      : '';
    throw new EvolveError(
      options.code,
      `cannot load the ${options.what}: ${message}${at && location?.[1] !== file ? ` in ${at}` : at ? ` at ${at}` : ''}${install}`,
      { path: location?.[1] ?? file, cause: error },
    );
  }
}

/** The nearest folder above a file with a package.json (the file's own folder when there is none). */
function projectRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/** An EvolveError, possibly from another copy of @evolve/core (so not `instanceof`). */
export function isEvolveErrorLike(
  value: unknown,
): value is { code: string; message: string; path?: string; stack?: string } {
  return (
    value instanceof Error &&
    value.name === 'EvolveError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
