import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvolveError, type Migration } from '@evolve/core';
import { importModule } from './import-module.ts';
import type { ResolvedConfig } from './load-config.ts';
import { INDEX_FILE, listMigrationFiles } from './migrations-folder.ts';

/**
 * Imports the migrations folder's `index.ts` (the ordered list the generator keeps) and checks it against the
 * files: every `NNNN_slug.ts` listed once, in order, with the id its file name says. An empty or missing
 * folder has no migrations.
 *
 * @example
 * const migrations = await loadMigrations(await loadConfig());
 */
export async function loadMigrations(
  config: Pick<ResolvedConfig, 'migrationsDir'>,
): Promise<readonly Migration[]> {
  const dir = config.migrationsDir;
  const index = join(dir, INDEX_FILE);
  const files = listMigrationFiles(dir);
  if (!existsSync(index)) {
    if (files.length === 0) return [];
    throw new EvolveError(
      'INVALID_MIGRATION',
      `the migrations folder has ${files.length} migrations but no ${INDEX_FILE}`,
      {
        path: index,
      },
    );
  }
  const mod = await importModule(index, { code: 'INVALID_MIGRATION', what: 'migrations index' });
  const list = mod.default;
  if (!Array.isArray(list)) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `${INDEX_FILE} must default-export the ordered list of migrations`,
      {
        path: index,
      },
    );
  }
  list.forEach((m: unknown, i) => {
    const id = (m as Migration | undefined)?.id;
    if (!m || typeof m !== 'object' || typeof id !== 'string') {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `entry ${i} of ${INDEX_FILE} is not a migration (defineMigration)`,
        {
          path: index,
        },
      );
    }
    const file = files[i];
    if (!file || file.id !== id) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `${INDEX_FILE} lists ${id} at position ${i + 1}, but the file there is ${file?.name ?? 'missing'}`,
        { path: id },
      );
    }
  });
  if (files.length > list.length) {
    throw new EvolveError('INVALID_MIGRATION', `${files[list.length]!.name} is not listed in ${INDEX_FILE}`, {
      path: files[list.length]!.path,
    });
  }
  return list as Migration[];
}
