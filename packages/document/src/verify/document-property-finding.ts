import type { Row } from '@evolve/core';

/**
 * The properties `verifyDocumentMigrations` checks:
 * - `valid-upgrade`: a document of any earlier version upgrades to the latest without throwing and the
 *   result validates against the latest schema;
 * - `idempotent-upgrade`: upgrading the result again changes nothing, and upgrading the same document twice
 *   gives the same result (no hidden state, no writes into the document given);
 * - `lossless-down`: `down(up(x))` gives back `x` for a step the planner declares lossless;
 * - `generated-matches-interpreter`: a step's `up`/`down` from the migration file do what the interpreter
 *   of its changes does.
 */
export type DocumentProperty =
  | 'valid-upgrade'
  | 'idempotent-upgrade'
  | 'lossless-down'
  | 'generated-matches-interpreter';

/** One property a document migration's code broke, with the smallest document fast-check shrank it to. */
export interface DocumentPropertyFinding {
  rule: 'transform-property';
  property: DocumentProperty;
  /** The migration whose step is at fault. */
  migration: string;
  /** The model (its latest name). */
  model: string;
  /** The version the counterexample document is at. */
  version: number;
  /** The shrunk counterexample: the document the code was given. */
  counterexample: Row;
  /** The thrown error's message, or what is wrong with the result. */
  problem: string;
  /** The failing path inside the document (dotted), when there is one. */
  path?: string;
  seed: number;
  message: string;
}

/** A broken property, before it becomes a finding. */
export interface PropertyProblem {
  property: DocumentProperty;
  migration: string;
  problem: string;
  path?: string[];
}

/** What every property check runs with. */
export interface PropertyRun {
  runs: number;
  seed: number;
}
