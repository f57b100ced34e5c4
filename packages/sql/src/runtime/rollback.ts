import type { Kysely } from 'kysely';
import { execute } from './migrate.ts';
import type { MigrateOptions, MigrateResult } from './migrate-options.ts';

/**
 * Reverts applied migrations newest first with their `down` steps, down to `to` (which stays applied;
 * `'0'` reverts everything), or only the newest one when `to` is omitted. Down steps that lose data are
 * refused unless the migration acknowledges them or `acknowledgeDataLoss` is set. Never applies anything up.
 *
 * @example
 * const { applied, error } = await rollback(db, { migrations, to: '0002_add_email' });
 */
export async function rollback(db: Kysely<any>, options: MigrateOptions): Promise<MigrateResult> {
  return execute(db, options, { downOnly: true });
}
