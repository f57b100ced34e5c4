import type { PullNote } from '@evolve/core';

/** What the drift introspection does not read but pulling needs: per dialect, from the catalog. */
export interface LiveExtras {
  /** `table.column` of columns holding JSON that their type does not tell (a json type that is an alias of a text type). */
  jsonColumns: Set<string>;
  /** `table.column` of identity, serial or auto-increment columns. */
  generatedKeys: Set<string>;
  /** `table.index` of indexes the models cannot describe (partial, expression, prefix, full-text). */
  unmodelledIndexes: Set<string>;
  /** Triggers, views, CHECKs other than enum lists, generated columns, ON UPDATE actions, ... */
  notes: PullNote[];
}

export const noExtras = (): LiveExtras => ({
  jsonColumns: new Set(),
  generatedKeys: new Set(),
  unmodelledIndexes: new Set(),
  notes: [],
});

/** Lists each trigger (`t`: its table) as skipped: the models hold no triggers. */
export function noteTriggers(extras: LiveExtras, triggers: readonly { t: string; name: string }[]): void {
  for (const row of triggers) {
    extras.notes.push({
      table: row.t,
      item: row.name,
      kind: 'skipped',
      reason: 'a trigger: the models hold no triggers (it stays in the database)',
    });
  }
}
