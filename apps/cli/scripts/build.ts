// Bundles the CLI with esbuild, in one of two modes:
// - `publish` (`pnpm --filter @evolve/cli build`, run by `pnpm build`): dist/bin.js (the `evolve` bin) and
//   dist/index.js (the programmatic API) of the npm package. commander and picocolors are bundled in (one file
//   loads faster than their modules); @evolve/*, zod, kysely, esbuild and the drivers stay imports of the app's
//   node_modules, so the CLI and the app share one copy of each. The .d.ts files come from tsc afterwards.
// - `workspace` (the default, `pnpm --filter @evolve/cli bundle` -> apps/cli/.tmp/bundle/evolve.mjs; tests and
//   benchmarks in this repository): the evolve packages are bundled in (their workspace entries are TypeScript
//   sources), and so is zod; the lib-*.mjs entries beside the bin are what the project's own imports of them
//   are aliased to when the project has no copy of its own or has these very folders (bundled-aliases.ts in
//   @evolve/project), so one copy of each serves the process.
// Commands stay in separate chunks (code splitting) in both, so `evolve --help` loads only the entry.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = new Set(['zod', 'commander', 'picocolors']);
const BUNDLED_IN_PACKAGE = new Set(['commander', 'picocolors']);
const SKIP = Symbol('resolve without the plugin');
const zodVersion: string = createRequire(import.meta.url)('zod/package.json').version;

/** Whether Node finds a package from apps/cli (node_modules looked up the folders, as Node does). */
function resolvableFromCli(specifier: string): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** The evolve packages the workspace bundle carries, by name: the real folder of each (their sources). */
function bundledFrom(): Record<string, string> {
  const folders: Record<string, string> = { '@evolve/cli': realpathSync(root) };
  for (const name of ['@evolve/core', '@evolve/sql', '@evolve/document', '@evolve/project']) {
    for (let dir = root; ; dir = dirname(dir)) {
      const folder = join(dir, 'node_modules', name);
      if (existsSync(join(folder, 'package.json'))) {
        folders[name] = realpathSync(folder);
        break;
      }
      if (dirname(dir) === dir)
        throw new Error(`the workspace bundle needs ${name}, which apps/cli does not resolve`);
    }
  }
  return folders;
}

/** zod's locales index, rewritten so each locale loads (from zod's CommonJS build) only when used. */
async function lazyZodLocales(path: string): Promise<string> {
  const names = [...(await readFile(path, 'utf8')).matchAll(/default as (\w+) } from "\.\/([\w-]+)\.js"/g)];
  return [
    "import { createRequire } from 'node:module';",
    'const localeRequire = createRequire(import.meta.url);',
    ...names.map(
      ([, name, file]) =>
        `export const ${name} = (...a) => localeRequire('zod/v4/locales/${file}.cjs')(...a);`,
    ),
    '',
  ].join('\n');
}

/**
 * commander requires `node:child_process` as it loads, for executable subcommands, which evolve has none of;
 * Node compiles that module and its dependencies (a few milliseconds of every command, `--help` included).
 * This gives commander a stand-in that loads the real module on first use.
 */
const lazyChildProcess: Plugin = {
  name: 'evolve-lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'evolve-lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'evolve-lazy' }, () => ({
      contents:
        "let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });\n",
      loader: 'js',
    }));
  },
};

/** The npm package's build: dist/bin.js and dist/index.js, every npm package but commander and picocolors external. */
async function buildPublished(outdir: string, quiet: boolean): Promise<string> {
  const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { version: string };
  await build({
    absWorkingDir: root,
    entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts' },
    outdir,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: {
      js: "import { createRequire as __evolveCreateRequire } from 'node:module';\nconst require = __evolveCreateRequire(import.meta.url);",
    },
    define: {
      __EVOLVE_BUNDLE__: 'false',
      __EVOLVE_VERSION__: JSON.stringify(version),
      // Keys the `generate` cache; the versions of the packages the models import are part of the key too.
      __EVOLVE_BUILD_ID__: JSON.stringify(`@evolve/cli@${version}`),
    },
    logLevel: quiet ? 'error' : 'info',
    plugins: [
      lazyChildProcess,
      {
        name: 'evolve-published-externals',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            BUNDLED_IN_PACKAGE.has(args.path) ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return `${outdir}/bin.js`;
}

/**
 * Builds the CLI. `workspace` (default): .tmp/bundle/evolve.mjs (the bin) and the lib-*.mjs entries beside it
 * that the project's modules are aliased to. `publish`: the npm package's dist/bin.js and dist/index.js.
 * Returns the bin's path.
 */
export async function buildCli(
  options: { quiet?: boolean; outdir?: string; mode?: 'workspace' | 'publish' } = {},
): Promise<string> {
  // The workspace bundle stays out of dist/, which is the npm package's.
  const outdir = options.outdir ?? (options.mode === 'publish' ? `${root}dist` : `${root}.tmp/bundle`);
  rmSync(outdir, { recursive: true, force: true }); // chunk names are content hashes: drop the old ones
  if (options.mode === 'publish') return buildPublished(outdir, options.quiet ?? false);
  await build({
    absWorkingDir: root,
    entryPoints: {
      evolve: 'src/bin.ts',
      'lib-core': 'src/bundle/lib-core.ts',
      'lib-sql': 'src/bundle/lib-sql.ts',
      'lib-document': 'src/bundle/lib-document.ts',
      'lib-project': 'src/bundle/lib-project.ts',
      'lib-evolve': 'src/bundle/lib-evolve.ts',
      'lib-zod': 'src/bundle/lib-zod.ts',
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // commander is CommonJS: its require() calls of Node built-ins need a real require in the ESM bundle.
    banner: {
      js: "import { createRequire as __evolveCreateRequire } from 'node:module';\nconst require = __evolveCreateRequire(import.meta.url);",
    },
    define: {
      __EVOLVE_BUNDLE__: 'true',
      __EVOLVE_VERSION__: JSON.stringify(
        (createRequire(import.meta.url)('../package.json') as { version: string }).version,
      ),
      __EVOLVE_ZOD_VERSION__: JSON.stringify(zodVersion),
      // A project whose own copy of an evolve package is one of these folders gets the bundle's copy (the same code).
      __EVOLVE_BUNDLED_FROM__: JSON.stringify(bundledFrom()),
      // Keys the `generate` cache: a new build may compute snapshots differently.
      __EVOLVE_BUILD_ID__: JSON.stringify(`${Date.now().toString(36)}-${process.pid}`),
    },
    logLevel: options.quiet ? 'error' : 'info',
    plugins: [
      lazyChildProcess,
      {
        name: 'evolve-externals',
        setup(b) {
          // A package the CLI does not depend on itself (mongodb, imported by @evolve/document) is imported
          // from the absolute location the workspace resolves it to.
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === SKIP || args.path.startsWith('@evolve/') || BUNDLED.has(args.path))
              return undefined;
            if (args.path.startsWith('node:') || resolvableFromCli(args.path))
              return { path: args.path, external: true };
            const found = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: SKIP,
            });
            if (found.errors.length > 0 || !found.path) return { path: args.path, external: true };
            return { path: pathToFileURL(found.path).href, external: true };
          });
          b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => ({
            contents: await lazyZodLocales(args.path),
            loader: 'js',
          }));
        },
      },
    ],
  });
  return `${outdir}/evolve.mjs`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli({ mode: process.argv.includes('--publish') ? 'publish' : 'workspace' });
}
