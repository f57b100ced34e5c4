import type { SqlStep } from '../steps/sql-step.ts';

/**
 * Moves each `addIdentity` to just after a later `changePrimaryKey` of its table: field changes are planned
 * before the key changes, but a dialect may generate values only for a column that is already a key (or
 * only for the whole key). `dropIdentity` already comes first.
 *
 * @example
 * // [addIdentity t.id, changePrimaryKey t (id)] -> [changePrimaryKey t (id), addIdentity t.id]
 * const ordered = identityAfterKey(steps);
 */
export function identityAfterKey(steps: readonly SqlStep[]): SqlStep[] {
  const out = [...steps];
  for (let i = out.length - 1; i >= 0; i--) {
    const step = out[i] as SqlStep;
    if (step.kind !== 'addIdentity') continue;
    const key = out.findIndex((s, j) => j > i && s.kind === 'changePrimaryKey' && s.table === step.table);
    if (key < 0) continue;
    out.splice(i, 1);
    out.splice(key, 0, step);
  }
  return out;
}
