import { canonicalJson, sha256 } from './canonical-json.ts';
import type { Migration } from './migration-types.ts';

/**
 * The checksum the journal records when a migration is applied: a hash of the migration's data
 * (id, hashes, changes, SQL steps, acknowledgements). Function bodies (transforms, document up/down) are
 * not part of it, because their source text differs between a bundled app and the CLI; the sum file
 * (`evolve.sum`) covers the file text instead.
 *
 * @example
 * const recorded = new Map<string, string>(); // id -> the checksum a journal stored at apply time
 * const changed = migrations.filter((m) => recorded.has(m.id) && migrationChecksum(m) !== recorded.get(m.id));
 */
export function migrationChecksum(migration: Migration): string {
  return sha256(
    canonicalJson({
      id: migration.id,
      from: migration.from,
      to: migration.to,
      changes: migration.changes,
      acknowledge: migration.acknowledge ?? [],
      sql: stripFunctions(migration.sql),
    }),
  );
}

function stripFunctions(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map(stripFunctions);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripFunctions(v)]));
  }
  return value;
}
