// Where the project's imports of the evolve packages and zod go in the workspace bundle of the CLI.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __EVOLVE_BUNDLE__: boolean | undefined;
declare const __EVOLVE_ZOD_VERSION__: string | undefined;
/** Package name -> the real folder whose sources the workspace bundle carries. */
declare const __EVOLVE_BUNDLED_FROM__: Record<string, string> | undefined;

/** The bundle's entry for each evolve package, beside the bundle's own files. */
const ENTRIES: Record<string, string> = {
  '@evolve/core': './lib-core.mjs',
  '@evolve/sql': './lib-sql.mjs',
  '@evolve/document': './lib-document.mjs',
  '@evolve/project': './lib-project.mjs',
  '@evolve/cli': './lib-evolve.mjs',
};

/**
 * In the workspace bundle of the CLI, which of the project's imports go to the bundle's own copies: a package
 * the project does not have (so a project with no node_modules still loads), or has as the very folder the
 * bundle was built from (the same code; one instance of it per process). A project's own, different copy of
 * `@evolve/*` is used as installed. zod likewise: the bundle's copy when the project has none or the exact
 * version bundled (one file instead of zod's many modules: the largest part of a command's start-up), the
 * project's own otherwise. From source and in the npm package, every import resolves through node_modules.
 *
 * @example
 * bundledAliases('/app/src/models.ts'); // {} in the npm package
 */
export function bundledAliases(file: string): Record<string, string> {
  if (typeof __EVOLVE_BUNDLE__ === 'undefined' || !__EVOLVE_BUNDLE__) return {};
  const bundledFrom = typeof __EVOLVE_BUNDLED_FROM__ === 'undefined' ? {} : __EVOLVE_BUNDLED_FROM__;
  const at = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const aliases: Record<string, string> = {};
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const own = packageFolder(file, name);
    if (own === undefined || own === bundledFrom[name]) aliases[name] = at(entry);
  }
  const zod = packageFolder(file, 'zod');
  if (zod === undefined || packageVersion(zod) === __EVOLVE_ZOD_VERSION__) {
    aliases.zod = at('./lib-zod.mjs');
    aliases['zod/v4'] = at('./lib-zod.mjs');
  }
  return aliases;
}

/**
 * The real folder of the package `name` a file would import: the first `node_modules/<name>` in the folders
 * above it, as Node looks. (Not `require.resolve('<name>/package.json')`: an exports map may hide it.)
 */
function packageFolder(file: string, name: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const folder = join(dir, 'node_modules', name);
    if (existsSync(join(folder, 'package.json'))) return realpathSync(folder);
    if (dirname(dir) === dir) return undefined;
  }
}

function packageVersion(folder: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
