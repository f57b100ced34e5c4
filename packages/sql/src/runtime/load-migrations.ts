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
