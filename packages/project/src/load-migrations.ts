import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvolveError, type Migration } from '@evolve/core';
import { importModule } from './import-module.ts';
import type { ResolvedConfig } from './load-config.ts';
import { INDEX_FILE, migrationFileNames } from './migrations-folder.ts';

/**
 * The project's migrations: @evolve/sql's `loadMigrations` (the index checked against the files) over the
 * configured folder, importing TypeScript through the CLI's module loader, after completing or undoing a
 * set of writes a killed `generate` left. An empty or missing folder has no migrations.
 *
 * @example
 * const migrations = await loadMigrations(await loadConfig());
 */
export async function loadMigrations(
  config: Pick<ResolvedConfig, 'migrationsDir'>,
): Promise<readonly Migration[]> {
  const dir = config.migrationsDir;
  const files = migrationFileNames(dir);
  const index = join(dir, INDEX_FILE);
  if (!existsSync(index)) {
    if (files.length === 0) return [];
    throw new EvolveError(
      'INVALID_MIGRATION',
      `the migrations folder has ${files.length} migrations but no ${INDEX_FILE}`,
      { path: index },
    );
  }
  // Loaded here, not with the package: commands that read no migrations (generate with no changes) skip it.
  const { loadMigrations: loadMigrationsFolder } = await import('@evolve/sql');
  return loadMigrationsFolder(dir, {
    index: INDEX_FILE,
    importModule: (file) => importModule(file, { code: 'INVALID_MIGRATION', what: 'migrations index' }),
  });
}
