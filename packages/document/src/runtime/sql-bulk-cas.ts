import type { Row } from '@evolve/core';
import type { RawBuilder } from 'kysely';

/** One write of a bulk compare-and-set: the id, the document, and the values the guard expects. */
export interface BulkCasRecord {
  id: string;
  /** The document to store; its `_id` member, if any, is left out by the statement (the id column has it). */
  doc: Row;
  /** Expected values in the order of `fields`; `undefined` means the member must be absent. */
  expect: readonly unknown[];
}

/** Builds one statement that replaces every record's document where it still holds its expected values. */
export type BulkCasStatement = (
  table: RawBuilder<unknown>,
  records: readonly BulkCasRecord[],
  fields: readonly string[],
) => RawBuilder<{ id: string }>;

/** The records as one JSON array parameter: `[{ id, doc, e0, e1, ... }]` (an absent `e<i>`: expect absent). */
export function recordsJson(records: readonly BulkCasRecord[]): string {
  return JSON.stringify(
    records.map((r) => {
      const out: Row = { id: r.id, doc: r.doc };
      for (let i = 0; i < r.expect.length; i++) if (r.expect[i] !== undefined) out[`e${i}`] = r.expect[i];
      return out;
    }),
  );
}

/** Writes per bulk statement (each statement takes one JSON parameter, however many writes). */
export const BULK_ROWS = 5000;
