import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EvolveError, type Migration } from '@evolve/core';

const ENTRY_FILES = ['index.js', 'index.mjs', 'index.ts', 'index.mts'];
const MIGRATION_FILE = /^(\d{4,}_[a-z0-9_]+)\.(ts|mts|js|mjs)$/;

/** How a migrations module is imported (the CLI passes its TypeScript-aware loader). */
export type ImportModule = (file: string) => Promise<{ default?: unknown }>;

const nativeImport: ImportModule = (file) => import(pathToFileURL(file).href);

/**
 * The ordered migration list of a migrations folder: the default export of its `index` module (the file
 * `evolve generate` maintains), checked against the folder's migration files — every `NNNN_slug` file listed
 * once, in order, under the id its name says, none left out — so a file added by hand or a merge that
 * forgot the index is an INVALID_MIGRATION naming it, not a silently skipped migration. A `.ts` index
 * needs a runtime that loads TypeScript (tsx, Node 22+) or an `importModule` that does.
 *
 * @example
 * const migrations = await loadMigrations('./migrations');
 */
export async function loadMigrations(
  folder: string,
  options: {
    importModule?: ImportModule;
    /** The index module's file name; default the first of index.js, index.mjs, index.ts, index.mts found. */
    index?: string;
  } = {},
): Promise<readonly Migration[]> {
  const dir = resolve(folder);
  const names = options.index === undefined ? ENTRY_FILES : [options.index];
  const entry = names.map((name) => join(dir, name)).find((file) => existsSync(file));
  if (!entry) {
    throw new EvolveError(
      'NOT_FOUND',
      `no index module (${names.join(', ')}) in migrations folder ${folder}`,
      { path: folder },
    );
  }
  const module = await (options.importModule ?? nativeImport)(entry);
  const list = module.default;
  if (!Array.isArray(list)) {
    throw new EvolveError('INVALID_MIGRATION', `${entry} must default-export the ordered migration list`, {
      path: entry,
    });
  }
  checkAgainstFiles(list, migrationIds(dir), entry);
  return list as readonly Migration[];
}

/** The ids of the migration files in `dir`, in order (`0001_init.ts` and a compiled `0001_init.js` are one). */
function migrationIds(dir: string): string[] {
  const ids = new Set<string>();
  for (const name of readdirSync(dir).sort()) {
    const id = MIGRATION_FILE.exec(name)?.[1];
    if (id) ids.add(id);
  }
  return [...ids];
}

/** Each entry is a migration whose id names the file at its position; no file is left out of the list. */
function checkAgainstFiles(list: unknown[], ids: readonly string[], entry: string): void {
  const index = basename(entry);
  list.forEach((m, i) => {
    const id = (m as Migration | undefined)?.id;
    if (!m || typeof m !== 'object' || typeof id !== 'string') {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `entry ${i} of ${index} is not a migration (defineMigration)`,
        {
          path: entry,
        },
      );
    }
    if (ids[i] !== id) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `${index} lists ${id} at position ${i + 1}, but the file there is ${ids[i] ?? 'missing'}`,
        { path: id },
      );
    }
  });
  const unlisted = ids[list.length];
  if (unlisted !== undefined) {
    throw new EvolveError('INVALID_MIGRATION', `${unlisted} is not listed in ${index}`, {
      path: join(dirname(entry), unlisted),
    });
  }
}

/** The migration list from `migrations`, or from `folder`'s index module. */
export async function migrationList(options: {
  migrations?: readonly Migration[] | undefined;
  folder?: string | undefined;
}): Promise<readonly Migration[]> {
  if (options.migrations !== undefined && options.migrations !== null) return checkList(options.migrations);
  if (options.folder) return checkList(await loadMigrations(options.folder));
  throw new EvolveError(
    'INVALID_CONFIG',
    'pass migrations (the ordered list) or folder (the migrations folder)',
  );
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** The list is an array of migration objects, each with an id (its form and order are checked later). */
function checkList(list: unknown): readonly Migration[] {
  if (!Array.isArray(list)) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `migrations must be the ordered list of migrations (an array), not ${kindOf(list)}`,
      { path: 'migrations' },
    );
  }
  for (const [i, item] of list.entries()) {
    const migration = item as Partial<Migration> | null;
    if (typeof migration !== 'object' || migration === null || typeof migration.id !== 'string') {
      throw new EvolveError(
        'INVALID_CONFIG',
        `migrations[${i}] is not a migration (got ${kindOf(item)}${typeof migration === 'object' && migration ? ' without a string id' : ''})`,
        { path: `migrations[${i}]` },
      );
    }
    if (
      !Array.isArray(migration.changes) ||
      typeof migration.from !== 'string' ||
      typeof migration.to !== 'string'
    ) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `migration ${migration.id} is not a migration: it needs from, to (snapshot hashes) and changes (an array), as evolve generate writes`,
        { path: migration.id },
      );
    }
    checkOptionalParts(migration as Migration);
  }
  return list as readonly Migration[];
}

/** `acknowledge` is a list of paths and `transforms` maps model -> field -> function, when present. */
function checkOptionalParts(m: Migration): void {
  const ack = m.acknowledge as unknown;
  if (ack !== undefined && (!Array.isArray(ack) || ack.some((a) => typeof a !== 'string'))) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `migration ${m.id}: acknowledge must be a list of paths ('Model.field'), not ${kindOf(ack)}`,
      { path: `${m.id}.acknowledge` },
    );
  }
  const transforms = m.transforms as unknown;
  if (transforms === undefined) return;
  if (typeof transforms !== 'object' || transforms === null || Array.isArray(transforms)) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `migration ${m.id}: transforms must map models to fields to functions, not ${kindOf(transforms)}`,
      { path: `${m.id}.transforms` },
    );
  }
  for (const [model, fields] of Object.entries(transforms)) {
    const bad =
      typeof fields !== 'object' || fields === null
        ? ''
        : Object.entries(fields).find(([, fn]) => typeof fn !== 'function')?.[0];
    if (bad !== undefined) {
      const at = bad ? `${model}.${bad}` : model;
      throw new EvolveError('INVALID_MIGRATION', `migration ${m.id}: the transform ${at} is not a function`, {
        path: `${m.id}.transforms.${at}`,
      });
    }
  }
}
