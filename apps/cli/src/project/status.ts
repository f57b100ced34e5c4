import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { loadMigrations } from './load-migrations.ts';
import { redact, withDatabase } from './open-database.ts';
import { type JournalStatus, journalStatus } from './sql-api.ts';

export interface StatusResult extends JournalStatus {
  /** The database (password hidden) and its dialect. */
  database: string;
  dialect: string;
  /** Every migration in order with its state. */
  migrations: { id: string; state: 'applied' | 'pending' | 'out-of-order' | 'modified' }[];
}

/**
 * Compares the configured database's journal with the migrations folder: applied, pending, out-of-order
 * (pending but older than the newest applied), modified (applied, file changed since) and unknown ids.
 *
 * @example
 * const { pending } = await status({ cwd: '/app' });
 */
export async function status(
  options: LoadConfigOptions & { config?: ResolvedConfig } = {},
): Promise<StatusResult> {
  const config = options.config ?? (await loadConfig(options));
  const migrations = await loadMigrations(config);
  const journal = await withDatabase(config.database, (db) => journalStatus(db, migrations));
  const state = (id: string) =>
    journal.modified.includes(id)
      ? 'modified'
      : journal.applied.includes(id)
        ? 'applied'
        : journal.outOfOrder.includes(id)
          ? 'out-of-order'
          : 'pending';
  return {
    database: redact(config.database.url),
    dialect: config.database.dialect,
    ...journal,
    migrations: migrations.map((m) => ({ id: m.id, state: state(m.id) })),
  };
}
