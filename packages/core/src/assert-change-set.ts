import type { ChangeSet } from './change-types.ts';
import { EvolveError } from './errors.ts';

/**
 * Checks an argument of a public function is a change set (`{ from, to, changes }` as diff() returns), so
 * that a foreign object is INVALID_CHANGESET naming `argument`, never a TypeError from deep inside.
 *
 * @example
 * assertChangeSet(changeSet, 'changeSet'); // in lint()
 */
export function assertChangeSet(value: unknown, argument: string): asserts value is ChangeSet {
  const c = value as Partial<ChangeSet> | null;
  const bad =
    typeof c !== 'object' || c === null || typeof c.from !== 'string' || !Array.isArray(c.changes)
      ? 'it needs `from` (a snapshot hash) and `changes` (an array), as diff() returns'
      : c.changes.findIndex((x) => typeof x !== 'object' || x === null || typeof x.kind !== 'string') >= 0
        ? `changes[${c.changes.findIndex((x) => typeof x !== 'object' || x === null || typeof x.kind !== 'string')}] is not a change (an object with a kind)`
        : undefined;
  if (bad)
    throw new EvolveError('INVALID_CHANGESET', `${argument} is not a change set: ${bad}`, { path: argument });
}
