// Turns a project module (config, models, migrations index; TypeScript or JavaScript) into one ES module text
// with esbuild: the module and the local files it imports are transpiled and bundled, every package import
// becomes the absolute URL Node would load (so the project and the CLI share one copy of each package).
// esbuild is a native binary: one service process transpiles in a few milliseconds with no cache, where a
// JavaScript transpiler costs a few hundred milliseconds to load before its first file.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, Loader, Plugin } from 'esbuild';
import { bundledAliases } from './bundled-aliases.ts';

type Esbuild = typeof import('esbuild');

let esbuild: Esbuild | undefined;
let started = false;

/** esbuild's API; its first build starts the service process. */
function api(): Esbuild {
  // require(), not import(): esbuild's API is CommonJS, and Node lexes a CommonJS module imported from ESM.
  esbuild ??= createRequire(import.meta.url)('esbuild') as Esbuild;
  return esbuild;
}

/**
 * Starts esbuild's service process ahead of the first build, so that it starts while the command's own code
 * loads. Best effort: a failure shows at the build.
 *
 * @example
 * startBundler(); // then import the command; bundleModule() finds the service running
 */
export function startBundler(): void {
  if (started) return;
  started = true;
  try {
    api()
      .initialize({})
      .catch(() => {});
  } catch {
    // esbuild missing or broken: bundleModule reports it.
  }
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};
const BUILTINS = new Set(builtinModules);
const JAVASCRIPT = /\.[cm]?js$/;
const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;
/** The per-file values Node gives a module (`import.meta.url`, CommonJS `__dirname`), by the names esbuild defines. */
const FILE_VALUES = {
  'import.meta.url': '__evolve_url',
  'import.meta.filename': '__evolve_filename',
  'import.meta.dirname': '__evolve_dirname',
  __filename: '__evolve_filename',
  __dirname: '__evolve_dirname',
} as const;
const USES_FILE_VALUES = /\bimport\.meta\b|\b__dirname\b|\b__filename\b/;

/**
 * Bundles `file` and the local modules it imports into one ES module text. Package imports stay imports, of
 * the file Node resolves them to from the importing file (or of the workspace bundle's own copies). `import.meta.url`,
 * `import.meta.dirname`, `__dirname` and friends keep the values of each original file. Fails with esbuild's
 * BuildFailure (`isBuildFailure`); a package that cannot be found fails as Node's import would
 * (ERR_MODULE_NOT_FOUND, "Cannot find package 'x' imported from file").
 *
 * @example
 * const code = await bundleModule('/app/src/models.ts');
 * // written to a file anywhere, `code` imports as the original did: its imports are absolute
 */
export async function bundleModule(file: string): Promise<string> {
  const aliases = bundledAliases(file);
  const missing: { specifier: string; importer: string }[] = [];
  let result: Awaited<ReturnType<Esbuild['build']>>;
  try {
    result = await api().build({
      entryPoints: [file],
      absWorkingDir: dirname(file),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'inline',
      sourcesContent: false,
      // The map's sources are relative to absWorkingDir: wherever the bundle is written, they name the files.
      sourceRoot: `${pathToFileURL(dirname(file)).href}/`,
      define: FILE_VALUES,
      logLevel: 'silent',
      plugins: [projectImports(aliases, missing)],
    });
  } catch (error) {
    const first = missing[0];
    if (first) throw notFound(first.specifier, first.importer, error);
    throw error;
  }
  return result.outputFiles![0]!.text;
}

const prefetched = new Map<string, Promise<string>>();

/**
 * Starts bundling a module the command is about to import (its config file), so that the build runs while the
 * command's own code loads. The next `takeBundle` of the file takes it; a failure shows there.
 *
 * @example
 * prefetchBundle('/app/evolve.config.ts'); // then: await takeBundle('/app/evolve.config.ts')
 */
export function prefetchBundle(file: string): void {
  const job = bundleModule(file);
  job.catch(() => {}); // reported by takeBundle
  prefetched.set(file, job);
}

/**
 * The bundle of `file`: the one `prefetchBundle` started for it (once), else a new one.
 *
 * @example
 * const code = await takeBundle('/app/src/models.ts');
 */
export function takeBundle(file: string): Promise<string> {
  const job = prefetched.get(file);
  if (!job) return bundleModule(file);
  prefetched.delete(file);
  return job;
}

/** Whether an error is esbuild's report of a module it could not read, parse or resolve. */
export function isBuildFailure(error: unknown): error is BuildFailure {
  return (
    error instanceof Error &&
    Array.isArray((error as Partial<BuildFailure>).errors) &&
    (error as BuildFailure).errors.length > 0
  );
}

/** Node's error for a package that is not installed. */
function notFound(specifier: string, importer: string, cause: unknown): Error {
  const error = new Error(`Cannot find package '${specifier}' imported from ${importer}`, { cause });
  (error as Error & { code: string }).code = 'ERR_MODULE_NOT_FOUND';
  return error;
}

const RESOLVING = Symbol('resolving a package import');

function projectImports(
  aliases: Record<string, string>,
  missing: { specifier: string; importer: string }[],
): Plugin {
  return {
    name: 'evolve-project-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const alias = aliases[args.path];
        if (alias) return { path: pathToFileURL(alias).href, external: true };
        if (args.path.startsWith('node:') || BUILTINS.has(args.path)) {
          return { path: args.path, external: true };
        }
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (found.errors.length > 0 || !found.path) {
          missing.push({ specifier: args.path, importer: args.importer });
          return undefined; // esbuild reports it (and bundleModule throws Node's error)
        }
        // What Node would not load as a plain import is bundled: a package's TypeScript source (a workspace
        // package linked without a build, a tsconfig path), a JSON file imported without `with { type }`.
        if (!JAVASCRIPT.test(found.path) && !found.path.endsWith('.node')) return { path: found.path };
        // require() takes a path; import, a URL.
        const external = args.kind === 'require-call' ? found.path : pathToFileURL(found.path).href;
        return { path: external, external: true };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (IN_NODE_MODULES.test(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const loader = LOADERS[extname(args.path)] ?? 'js';
        if (!USES_FILE_VALUES.test(text)) return { contents: text, loader };
        // Declared on the first line, so line numbers stay the file's own.
        const values =
          `const __evolve_url = ${JSON.stringify(pathToFileURL(args.path).href)}, ` +
          `__evolve_filename = ${JSON.stringify(args.path)}, __evolve_dirname = ${JSON.stringify(dirname(args.path))};`;
        return { contents: values + text, loader };
      });
    },
  };
}
