// Bundles the CLI into apps/cli/dist: `pnpm --filter evolve build` (or `npx tsx apps/cli/scripts/build.ts`).
// The evolve packages are bundled in (their sources are TypeScript), and so are zod, commander and picocolors
// (one file loads faster than their many modules); other npm packages stay imports of node_modules.
// Commands stay in separate chunks (code splitting), so `evolve --help` loads only the entry.
import { existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = new Set(['zod', 'commander', 'picocolors']);
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

/** Builds dist/evolve.mjs (the bin) and the dist/lib-*.mjs entries the project's modules are aliased to. */
export async function buildCli(options: { quiet?: boolean; outdir?: string } = {}): Promise<string> {
  const outdir = options.outdir ?? `${root}dist`;
  rmSync(outdir, { recursive: true, force: true }); // chunk names are content hashes: drop the old ones
  await build({
    absWorkingDir: root,
    entryPoints: {
      evolve: 'src/bin.ts',
      'lib-core': 'src/bundle/lib-core.ts',
      'lib-sql': 'src/bundle/lib-sql.ts',
      'lib-document': 'src/bundle/lib-document.ts',
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
      __EVOLVE_ZOD_VERSION__: JSON.stringify(zodVersion),
      // Keys the `generate` cache: a new build may compute snapshots differently.
      __EVOLVE_BUILD_ID__: JSON.stringify(`${Date.now().toString(36)}-${process.pid}`),
    },
    logLevel: options.quiet ? 'error' : 'info',
    plugins: [
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
  await buildCli();
}
