import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from './canonical-json.ts';
import type { Migration } from './migration-types.ts';

/** The prefix of the current checksum format (format 2: it covers `codeHash`). */
export const CHECKSUM_PREFIX = 'c2:';

/** The data both checksum formats cover: everything but function bodies. */
function checksummedData(migration: Migration): Record<string, unknown> {
  return {
    id: migration.id,
    from: migration.from,
    to: migration.to,
    changes: migration.changes,
    acknowledge: migration.acknowledge ?? [],
    sql: stripFunctions(migration.sql),
  };
}

/**
 * The checksum the journal records when a migration is applied (format 2, `c2:…`): a hash of the migration's
 * data (id, hashes, changes, SQL steps, acknowledgements) and of its `codeHash`, the hash of its module's code
 * that `generate` and `evolve hash` write into the file. Function bodies are covered through `codeHash` only,
 * because their runtime source text differs between a bundled app and the CLI; a migration without one (built
 * in code, or generated before code hashes existed) is checked on its data alone.
 *
 * @example
 * migrationChecksum(migration); // 'c2:…' (47 characters)
 */
export function migrationChecksum(migration: Migration): string {
  const data = { ...checksummedData(migration), code: migration.codeHash ?? null };
  return `${CHECKSUM_PREFIX}${createHash('sha256').update(canonicalJson(data)).digest('base64')}`;
}

/**
 * The checksum format 1 that journals written before format 2 hold (64 hex digits, no prefix): the data only.
 *
 * @example
 * legacyMigrationChecksum(migration); // 64 hex digits, as journals written before format 2 hold
 */
export function legacyMigrationChecksum(migration: Migration): string {
  return sha256(canonicalJson(checksummedData(migration)));
}

/**
 * Whether a checksum recorded in a journal matches the migration, in the recorded checksum's own format: a
 * journal row written before format 2 keeps matching its unchanged migration (whose transforms it never
 * covered), and rows written since also cover the code.
 *
 * @example
 * const recorded = migrationChecksum(migration); // what the journal stored when it was applied
 * checksumMatches(recorded, migration); // true until the migration changes
 */
export function checksumMatches(recorded: string, migration: Migration): boolean {
  if (recorded.startsWith(CHECKSUM_PREFIX)) return recorded === migrationChecksum(migration);
  if (/^[0-9a-f]{64}$/.test(recorded)) return recorded === legacyMigrationChecksum(migration);
  return false;
}

function stripFunctions(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map(stripFunctions);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripFunctions(v)]));
  }
  return value;
}
