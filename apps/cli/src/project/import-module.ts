import { EvolveError } from '@evolve/core';

declare const __EVOLVE_BUNDLE__: boolean | undefined;

type Jiti = { import<T = unknown>(id: string, opts?: { default?: boolean }): Promise<T> };
let jiti: Jiti | undefined;

/**
 * In the bundled CLI, the project's imports of `@evolve/*` resolve to the CLI's own copies (one instance of
 * each package in the process); from source they resolve through node_modules as usual.
 */
function bundledAliases(): Record<string, string> {
  if (typeof __EVOLVE_BUNDLE__ === 'undefined' || !__EVOLVE_BUNDLE__) return {};
  const at = (file: string) => new URL(file, import.meta.url).pathname;
  return {
    '@evolve/core': at('./lib-core.mjs'),
    '@evolve/sql': at('./lib-sql.mjs'),
    '@evolve/document': at('./lib-document.mjs'),
    evolve: at('./lib-evolve.mjs'),
  };
}

async function loader(): Promise<Jiti> {
  if (!jiti) {
    const { createJiti } = await import('jiti');
    jiti = createJiti(import.meta.url, {
      moduleCache: false,
      interopDefault: true,
      alias: bundledAliases(),
    }) as unknown as Jiti;
  }
  return jiti;
}

/**
 * Imports a project module (config, schema, migrations) — TypeScript or JavaScript — fresh on every call,
 * so a long-running process sees edits. Failures become `INVALID_CONFIG`-style errors naming the file.
 *
 * @example
 * const mod = await importModule('/app/src/models.ts', { code: 'INVALID_SCHEMA' });
 */
export async function importModule(
  file: string,
  options: { code: 'INVALID_CONFIG' | 'INVALID_SCHEMA' | 'INVALID_MIGRATION'; what: string },
): Promise<Record<string, unknown>> {
  const load = await loader();
  try {
    return (await load.import(file)) as Record<string, unknown>;
  } catch (error) {
    if (isEvolveErrorLike(error)) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EvolveError(options.code, `cannot load the ${options.what}: ${message}`, {
      path: file,
      cause: error,
    });
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
