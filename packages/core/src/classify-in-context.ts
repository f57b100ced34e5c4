import type { Change } from './change-types.ts';

/**
 * Risks that depend on the other changes of the change set: an index added to a model created by the same
 * change set is built on an empty table, so even a unique one needs no backfill and cannot fail (`safe`).
 * Changes are returned in order; only those whose risk changes are copied.
 *
 * @example
 * const changes = diff(emptySnapshot(), toSnapshot(schema)).changes; // createModel User, addIndex User.email
 * classifyInContext(changes); // the addIndex is now 'safe'
 */
export function classifyInContext(changes: readonly Change[]): Change[] {
  const created = new Set<string>();
  return changes.map((change) => {
    if (change.kind === 'createModel') created.add(change.model);
    if (change.kind === 'dropModel') created.delete(change.model);
    if (change.kind === 'addIndex' && created.has(change.model) && change.risk !== 'safe') {
      return { ...change, risk: 'safe' };
    }
    return change;
  });
}
