import type { Change } from './change-types.ts';

/** A row or document as plain data. */
export type Row = Record<string, unknown>;

/**
 * A data transform: a pure function from the old row/document (as it was before the migration,
 * under the old field names) to the new value of one field.
 */
export type Transform = (old: Row) => unknown;

/** Transforms keyed by model name, then by the field's dotted path at the new version. */
export type Transforms = Record<string, Record<string, Transform>>;

/**
 * One migration module: the unit `evolve generate` writes and `migrate` / `createUpgrader` apply.
 * The sequence number in `id` (`0003_split_name`) is the schema version the migration leads to.
 * `sql` and `documents` are owned by @evolve/sql and @evolve/document, which validate them.
 */
export interface Migration {
  id: string;
  /** Hash of the snapshot before this migration (the empty schema's hash for the first). */
  from: string;
  /** Hash of the snapshot after it. */
  to: string;
  changes: readonly Change[];
  /**
   * The hash of the module's code (`t1:…`), written by `evolve generate` and `evolve hash`: the journal's
   * checksum covers it, so an applied migration whose transforms were edited and re-hashed reads "modified".
   */
  codeHash?: string;
  transforms?: Transforms;
  /**
   * Destructive or lossy changes the author accepted, by `Model` or `Model.field.path`
   * (or `*` for all). Until listed, `up` refuses them and `check` flags them.
   */
  acknowledge?: readonly string[];
  /** SQL section: ordered high-level steps and SQL-expression transforms (@evolve/sql). */
  sql?: unknown;
  /** Document section: `up` / `down` per model (@evolve/document). */
  documents?: unknown;
}

/**
 * Declares a migration module. Validates the id and returns the definition frozen.
 *
 * @example
 * export default defineMigration({ id: '0002_add_email', ...diff(prev, next) }); // from, to and changes
 */
export function defineMigration<M extends Migration>(migration: M): Readonly<M> {
  return Object.freeze(migration);
}
