import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { listMigrationFiles } from './migrations-folder.ts';
import { computeSum, formatSum, SUM_FILE, type SumFile } from './sum-file.ts';

/**
 * Re-hashes the migrations folder into `evolve.sum`: the deliberate step after editing a migration in review.
 *
 * @example
 * await rehash({ cwd: '/app' });
 */
export async function rehash(
  options: LoadConfigOptions & { config?: ResolvedConfig } = {},
): Promise<SumFile> {
  const config = options.config ?? (await loadConfig(options));
  const sum = computeSum(listMigrationFiles(config.migrationsDir));
  writeFileSync(join(config.migrationsDir, SUM_FILE), formatSum(sum));
  return sum;
}
