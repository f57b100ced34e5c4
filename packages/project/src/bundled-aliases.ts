// Where the project's imports of the evolve packages and zod go in the workspace bundle of the CLI.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

declare const __EVOLVE_BUNDLE__: boolean | undefined;
declare const __EVOLVE_ZOD_VERSION__: string | undefined;

/**
 * In the bundled CLI, the project's imports of `@evolve/*` resolve to the CLI's own copies (one instance of
 * each package in the process), and so does `zod` when the project's zod is the exact version bundled
 * (one file instead of zod's many modules: the largest part of a command's start-up). From source, every
 * import resolves through node_modules as usual.
 *
 * @example
 * bundledAliases('/app/src/models.ts'); // {} in the npm package
 */
export function bundledAliases(file: string): Record<string, string> {
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
