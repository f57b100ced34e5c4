import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EvolveError, type Migration } from '@evolve/core';

const ENTRY_FILES = ['index.js', 'index.mjs', 'index.ts', 'index.mts'];

/**
 * The ordered migration list of a migrations folder: the default export of its `index` module (the file
 * `evolve generate` maintains). A `.ts` index needs a runtime that loads TypeScript (tsx, Node 22+).
 *
 * @example
 * const migrations = await loadMigrations('./migrations');
 */
export async function loadMigrations(folder: string): Promise<readonly Migration[]> {
  const entry = ENTRY_FILES.map((name) => join(resolve(folder), name)).find((file) => existsSync(file));
  if (!entry) {
    throw new EvolveError(
      'NOT_FOUND',
      `no index module (${ENTRY_FILES.join(', ')}) in migrations folder ${folder}`,
      {
        path: folder,
      },
    );
  }
  const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  if (!Array.isArray(module.default)) {
    throw new EvolveError('INVALID_MIGRATION', `${entry} must default-export the ordered migration list`, {
      path: entry,
    });
  }
  return module.default as readonly Migration[];
}

/** The migration list from `migrations`, or from `folder`'s index module. */
export async function migrationList(options: {
  migrations?: readonly Migration[] | undefined;
  folder?: string | undefined;
}): Promise<readonly Migration[]> {
  if (options.migrations) return options.migrations;
  if (options.folder) return loadMigrations(options.folder);
  throw new EvolveError(
    'INVALID_CONFIG',
    'pass migrations (the ordered list) or folder (the migrations folder)',
  );
}
