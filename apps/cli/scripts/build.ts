// Bundles the CLI into apps/cli/dist: `npx tsx apps/cli/scripts/build.ts` (or `pnpm --filter evolve build`).
// The evolve packages are bundled in (their sources are TypeScript); npm dependencies stay external.
// Commands stay in separate chunks (code splitting), so `evolve --help` loads only the entry.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

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
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { __EVOLVE_BUNDLE__: 'true' },
    logLevel: options.quiet ? 'error' : 'info',
    plugins: [
      {
        name: 'external-npm-packages',
        setup(b) {
          // Bare imports other than the workspace's @evolve/* packages stay imports of node_modules.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@evolve/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return `${outdir}/evolve.mjs`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
