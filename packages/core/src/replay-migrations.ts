import { applyChanges } from './apply-changes.ts';
import { EvolveError, isEvolveError } from './errors.ts';
import type { Migration } from './migration-types.ts';
import type { Snapshot } from './snapshot-types.ts';
import { emptySnapshot } from './to-snapshot.ts';

/** `NNNN_slug`: a zero-padded sequence number (the schema version), then a slug. */
export const MIGRATION_ID = /^(\d{4,})_([A-Za-z0-9][A-Za-z0-9_-]*)$/;

/**
 * The largest migration number: the journal's `sequence` and the version stamped into documents are 32-bit
 * integers on every engine, so a timestamp id (`20240101120000_x`) is refused before anything changes.
 */
export const MAX_MIGRATION_VERSION = 2_147_483_647;

/**
 * The schema version a migration id leads to (its sequence number).
 *
 * @example
 * migrationVersion('0003_split_name'); // 3
 */
export function migrationVersion(id: string): number {
  const match = MIGRATION_ID.exec(id);
  if (!match) {
    throw new EvolveError('INVALID_MIGRATION', `migration id "${id}" is not of the form NNNN_name`, {
      path: id,
    });
  }
  const version = Number(match[1]);
  if (version > MAX_MIGRATION_VERSION) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `migration id "${id}": its number is above ${MAX_MIGRATION_VERSION} (the journal and document versions are ` +
        '32-bit integers); number migrations 0001, 0002, ... as `evolve generate` does',
      { path: id },
    );
  }
  return version;
}

export interface ReplayedMigration {
  migration: Migration;
  version: number;
  /** The schema before the migration. */
  before: Snapshot;
  /** The schema after it. */
  after: Snapshot;
}

export interface ReplayedHistory {
  steps: ReplayedMigration[];
  /** The schema after the last migration (the empty schema when there are none). */
  latest: Snapshot;
}

const cache = new WeakMap<readonly Migration[], ReplayedHistory>();

/**
 * Rebuilds the schema at every version by applying each migration's changes in order, starting from the
 * empty schema, and checks the chain: ids well-formed and strictly increasing, each migration starting
 * where the previous one ended (`from`) and ending at its recorded `to`. A reordered, edited or foreign
 * migration is an EvolveError `INVALID_MIGRATION` naming its id. Results are cached per list.
 *
 * @example
 * const { steps, latest } = replayMigrations(migrations);
 * steps[2]?.before; // the snapshot the third migration starts from
 */
export function replayMigrations(migrations: readonly Migration[]): ReplayedHistory {
  const cached = cache.get(migrations);
  if (cached) return cached;
  const steps: ReplayedMigration[] = [];
  let current = emptySnapshot();
  let previousVersion = 0;
  for (const [i, migration] of migrations.entries()) {
    if (!migration || typeof migration !== 'object' || typeof migration.id !== 'string') {
      throw new EvolveError('INVALID_MIGRATION', `entry ${i} of the migrations list is not a migration`, {
        path: `migrations[${i}]`,
      });
    }
    const version = migrationVersion(migration.id);
    if (version <= previousVersion) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `migration ${migration.id} comes after version ${previousVersion}: ids must strictly increase`,
        { path: migration.id },
      );
    }
    if (!Array.isArray(migration.changes)) {
      throw new EvolveError('INVALID_MIGRATION', `migration ${migration.id} has no changes list`, {
        path: migration.id,
      });
    }
    if (migration.from !== current.hash) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `migration ${migration.id} starts from schema ${String(migration.from).slice(0, 12)}, but the migrations ` +
          `before it end at ${current.hash.slice(0, 12)} (reordered, edited or missing migration?)`,
        { path: migration.id },
      );
    }
    let after: Snapshot;
    try {
      after = applyChanges(current, {
        from: migration.from,
        to: migration.to,
        changes: [...migration.changes],
      });
    } catch (error) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `migration ${migration.id}: its changes do not lead to its recorded schema: ${
          isEvolveError(error) ? error.message : String(error)
        }`,
        { path: migration.id, cause: error },
      );
    }
    steps.push({ migration, version, before: current, after });
    current = after;
    previousVersion = version;
  }
  const history = { steps, latest: current };
  cache.set(migrations, history);
  return history;
}
