import { existsSync } from 'node:fs';
import { EvolveError, type Schema, type Snapshot, toSnapshot } from '@evolve/core';
import { importModule } from './import-module.ts';
import type { ResolvedConfig } from './load-config.ts';

/**
 * Imports the project's schema module (its default export is the `defineSchema(...)` result).
 *
 * @example
 * const schema = await loadSchema(await loadConfig());
 */
export async function loadSchema(config: Pick<ResolvedConfig, 'schemaPath'>): Promise<Schema> {
  const file = config.schemaPath;
  if (!existsSync(file)) {
    throw new EvolveError(
      'INVALID_CONFIG',
      'the schema module does not exist (set "schema" in evolve.config.ts)',
      {
        path: file,
      },
    );
  }
  const mod = await importModule(file, { code: 'INVALID_SCHEMA', what: 'schema module' });
  const schema = mod.default;
  if (!schema || typeof schema !== 'object' || typeof (schema as Schema).models !== 'object') {
    throw new EvolveError(
      'INVALID_SCHEMA',
      'the schema module must default-export defineSchema([...]) (export default defineSchema([User, Order]))',
      { path: file },
    );
  }
  return schema as Schema;
}

/**
 * The snapshot of the project's current models.
 *
 * @example
 * const now = await loadModelSnapshot(await loadConfig({ cwd: '/app' }));
 * if (now.hash !== previous.hash) console.log('models changed since the last migration');
 */
export async function loadModelSnapshot(config: Pick<ResolvedConfig, 'schemaPath'>): Promise<Snapshot> {
  return toSnapshot(await loadSchema(config));
}
