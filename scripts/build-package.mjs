// Builds the workspace package in the current folder into dist/: dist/index.js, src/index.ts bundled by esbuild
// into one ES module (one file loads faster than many; every npm package stays an import), and the .d.ts files
// from tsc (tsconfig.build.json). Run by each package's `build` script; `pnpm build` at the root builds them all
// in dependency order. `--declarations-only` keeps dist/ and writes only the .d.ts files (the CLI's JavaScript
// comes from its own esbuild build). The sources import each other with `.ts` extensions: in the declarations
// they become `.js`, so any TypeScript version resolves them.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const cwd = process.cwd();
const dist = join(cwd, 'dist');
const require = createRequire(join(cwd, 'package.json'));

if (!process.argv.includes('--declarations-only')) {
  rmSync(dist, { recursive: true, force: true });
  const { build } = require('esbuild');
  await build({
    absWorkingDir: cwd,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.js',
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

const typescript = require.resolve('typescript/package.json');
const tsc = join(dirname(typescript), JSON.parse(readFileSync(typescript, 'utf8')).bin.tsc);
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

// An optional peer dependency (mongodb for @evolve/document) may be absent from an app that never uses it, and
// an app compiled with `skipLibCheck: false` would then fail on the declarations that name its types. Those
// references are marked `@ts-ignore`: where the package is installed its types apply, elsewhere they are `any`.
const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {})
  .filter(([, meta]) => meta?.optional)
  .map(([name]) => name);
const names = optionalPeers.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
// A module reference to one of them: `from 'mongodb'`, `import('mongodb/x')` (never a string type 'mongodb').
const OPTIONAL_PEER = names
  ? new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*)(['"])(${names})(/[^'"]*)?\\2`)
  : undefined;
const IGNORE = '// @ts-ignore: an optional peer dependency, typed where it is installed';

const RELATIVE_TS = /(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = join(entry.parentPath, entry.name);
  const text = readFileSync(file, 'utf8');
  let fixed = text.replace(RELATIVE_TS, '$1$2$3.js$2');
  if (OPTIONAL_PEER) {
    fixed = fixed
      .split('\n')
      .flatMap((line) => (OPTIONAL_PEER.test(line) ? [IGNORE, line] : [line]))
      .join('\n');
  }
  if (fixed !== text) writeFileSync(file, fixed);
}
