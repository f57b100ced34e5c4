import { mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mustRun } from './run-command.ts';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** The packages an app installs, by name: their tarballs from `pnpm pack`. */
export type Tarballs = Record<
  '@evolve/core' | '@evolve/sql' | '@evolve/document' | '@evolve/project' | '@evolve/cli',
  string
>;

const FILE_NAMES: Record<keyof Tarballs, RegExp> = {
  '@evolve/core': /^evolve-core-.*\.tgz$/,
  '@evolve/sql': /^evolve-sql-.*\.tgz$/,
  '@evolve/document': /^evolve-document-.*\.tgz$/,
  '@evolve/project': /^evolve-project-.*\.tgz$/,
  '@evolve/cli': /^evolve-cli-.*\.tgz$/,
};

/**
 * Builds the packages (`pnpm build`: ESM and .d.ts into each dist/) and packs the five published ones into
 * `into`, as a release would (`pnpm pack` applies publishConfig and turns workspace: ranges into versions).
 */
export async function buildAndPack(into: string): Promise<Tarballs> {
  mkdirSync(into, { recursive: true });
  await mustRun(['pnpm', 'build'], { cwd: REPO, timeoutMs: 180_000 });
  await mustRun(
    [
      'pnpm',
      '--recursive',
      '--filter=./packages/*',
      '--filter=@evolve/cli',
      'pack',
      '--pack-destination',
      into,
    ],
    { cwd: REPO },
  );
  const files = readdirSync(into);
  const entries = Object.entries(FILE_NAMES).map(([name, pattern]) => {
    const file = files.find((f) => pattern.test(f));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name} into ${into}: ${files.join(', ')}`);
    return [name, join(into, file)];
  });
  return Object.fromEntries(entries) as Tarballs;
}

/**
 * The workspace's installed better-sqlite3 (compiled for this Node.js). The packed apps link it instead of
 * compiling the same native module again from source for each app (about 70 s here without prebuilt binaries).
 */
export function builtBetterSqlite3(): string {
  const require = createRequire(join(REPO, 'apps/cli/package.json'));
  return realpathSync(dirname(require.resolve('better-sqlite3/package.json')));
}
