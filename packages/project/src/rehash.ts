import { withCodeHash } from './code-hash.ts';
import { type FolderWrite, writeFolderAtomically } from './folder-transaction.ts';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { listMigrationFiles } from './migrations-folder.ts';
import { computeSum, formatSum, SUM_FILE, type SumFile } from './sum-file.ts';

/**
 * Re-hashes the migrations folder: the deliberate step after editing a migration in review. Each module's
 * `codeHash` is brought up to date (added to a module generated before code hashes), then `evolve.sum` is
 * rewritten, all as one set. A migration already applied whose code changed then reads "modified" in
 * `status` and `check --db`, and `up` refuses it.
 *
 * @example
 * await rehash({ cwd: '/app' });
 */
export async function rehash(
  options: LoadConfigOptions & { config?: ResolvedConfig } = {},
): Promise<SumFile> {
  const config = options.config ?? (await loadConfig(options));
  const files = listMigrationFiles(config.migrationsDir).map((f) => ({
    ...f,
    next: withCodeHash(f.text, f.path),
  }));
  const sum = computeSum(files.map((f) => ({ name: f.name, text: f.next })));
  const writes: FolderWrite[] = files
    .filter((f) => f.next !== f.text)
    .map((f) => ({ name: f.name, text: f.next }));
  writeFolderAtomically(config.migrationsDir, [...writes, { name: SUM_FILE, text: formatSum(sum) }]);
  return sum;
}
