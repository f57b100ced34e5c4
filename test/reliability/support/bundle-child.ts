import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { REPO_ROOT } from './run-child.ts';

// Drivers (native code, optional requires) and jiti (loads files relative to itself) stay outside the bundle.
const harnessRequire = createRequire(join(REPO_ROOT, 'test/harness/package.json'));
const EXTERNAL =
  /^(better-sqlite3|pg|mysql2|mysql2\/promise|mongodb|@electric-sql\/pglite|kysely-pglite-dialect|jiti)$/;
const built = new Map<string, Promise<string>>();

/**
 * A child script bundled once with esbuild into one ESM file (workspace packages included, database drivers
 * external), so that spawning it costs a plain `node` start instead of compiling every TypeScript module
 * with tsx in each of dozens of processes. The output is named by its content hash, so concurrent test
 * files share it. `EVOLVE_RELIABILITY_TSX=1` returns the TypeScript script unchanged (run with tsx).
 *
 * @example
 * const script = await bundledChild('test/reliability/fixtures/migrate-child.ts');
 * await runChild(script, { args: [...] });
 */
export function bundledChild(script: string): Promise<string> {
  if (process.env.EVOLVE_RELIABILITY_TSX === '1') return Promise.resolve(script);
  let job = built.get(script);
  if (!job) {
    job = build(script);
    built.set(script, job);
    // A failed build (a file caught mid-edit) is not remembered.
    job.catch(() => built.delete(script));
  }
  return job;
}

async function build(script: string): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [resolve(REPO_ROOT, script)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'error',
    // Bundled CommonJS code (some dependencies) needs `require` in an ES module.
    banner: {
      js: "import { createRequire as __evolveCreateRequire } from 'node:module'; const require = __evolveCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-drivers',
        setup(b) {
          b.onResolve({ filter: EXTERNAL }, (args) => {
            // From the importing package when it can (the CLI's jiti), else from the harness (drivers).
            let path: string;
            try {
              path = createRequire(args.importer).resolve(args.path);
            } catch {
              path = harnessRequire.resolve(args.path);
            }
            return { path, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced nothing for ${script}`);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(REPO_ROOT, 'test/reliability/.tmp/bundles');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${basename(script, '.ts')}-${hash}.mjs`);
  if (!existsSync(out)) {
    const partial = `${out}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, out);
  }
  pruneOldBundles(dir, basename(script, '.ts'), out);
  return out;
}

/** Removes this script's bundles of older sources (not touched for 10 minutes), so .tmp does not grow. */
function pruneOldBundles(dir: string, name: string, keep: string): void {
  const before = Date.now() - 10 * 60_000;
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (path === keep || !file.startsWith(`${name}-`)) continue;
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { force: true });
    } catch {
      // removed by a concurrent test file
    }
  }
}
