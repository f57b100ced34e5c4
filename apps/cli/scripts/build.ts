// Bundles the CLI into apps/cli/dist: `npx tsx apps/cli/scripts/build.ts` (or `pnpm --filter evolve build`).
// The evolve packages are bundled in (their sources are TypeScript); npm dependencies stay external.
// Commands stay in separate chunks (code splitting), so `evolve --help` loads only the entry.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = new Set(['zod', 'commander', 'picocolors']);
const zodVersion: string = createRequire(import.meta.url)('zod/package.json').version;

/** Builds dist/evolve.mjs (the bin) and the dist/lib-*.mjs entries the project's modules are aliased to. */
export async function buildCli(options: { quiet?: boolean; outdir?: string } = {}): Promise<string> {
  const outdir = options.outdir ?? `${root}dist`;
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
    banner: { js: "import { createRequire as __evolveCreateRequire } from 'node:module';\nconst require = __evolveCreateRequire(import.meta.url);" },
    define: { __EVOLVE_BUNDLE__: 'true', __EVOLVE_ZOD_VERSION__: JSON.stringify(zodVersion) },
    logLevel: options.quiet ? 'error' : 'info',
    plugins: [
      {
        name: 'external-npm-packages',
        setup(b) {
          // Bare imports stay imports of node_modules, except the evolve packages (TypeScript sources) and
          // the small pure packages every command loads (one bundled file starts faster than many modules).
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@evolve/') || BUNDLED.has(args.path) ? undefined : { path: args.path, external: true },
          );
          // zod's 60 locales (half of its code) load only when a locale is used, from zod's own CommonJS files.
          b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => {
            const names = [...(await readFile(args.path, 'utf8')).matchAll(/default as (\w+) } from "\.\/([\w-]+)\.js"/g)];
            const lines = names.map(([, name, file]) => `export const ${name} = (...a) => localeRequire('zod/v4/locales/${file}.cjs')(...a);`);
            return {
              contents: `import { createRequire } from 'node:module';\nconst localeRequire = createRequire(import.meta.url);\n${lines.join('\n')}\n`,
              loader: 'js',
            };
          });
        },
      },
    ],
  });
  return `${outdir}/evolve.mjs`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
