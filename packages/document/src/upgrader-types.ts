import type { Row } from '@evolve/core';

/**
 * The contract between the generated upgrader chain (upgrader/) and the store runtime (runtime/):
 * `versioned()` and `sweep()` only use this interface.
 */
export interface Upgrader<T = Row> {
  /** Model name at the latest version. */
  readonly model: string;
  /** The field holding a document's schema version (default `_v`). */
  readonly versionField: string;
  /** The schema version of the newest migration that touched anything (the sequence number of its id). */
  readonly latestVersion: number;
  /** The version that created the model: a document without a version field is at this version. */
  readonly createdVersion: number;
  /** The version a stored document is at. */
  versionOf(doc: Row): number;
  /** Whether `upgrade` would change the document. */
  needsUpgrade(doc: Row): boolean;
  /**
   * The document at the latest version, validated against the latest schema and stamped with it.
   * Throws EvolveError (VALIDATION_FAILED, FUTURE_VERSION, TRANSFORM_FAILED, TODO_TRANSFORM) naming the
   * document id, its version and the failing path.
   */
  upgrade(doc: Row): T;
  /** Walks a latest-version (or newer-than-target) document back to `version`, validated at that version. */
  downgrade(doc: Row, version: number): Row;
  /**
   * Older stored paths of a current field path, newest first (`'fullName'` -> `['name']`), so queries on a
   * renamed field can also match documents still stored under an old name. Empty when never renamed.
   */
  aliases(path: string): string[];
}
