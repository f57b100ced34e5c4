import type { ModelSnapshot, TypeSnapshot } from './snapshot-types.ts';
import { typeRelation } from './type-relation.ts';

/**
 * Whether a field of type `from` that vanished could plausibly have been renamed to a new field of type `to`:
 * the same kind of value (strings of another length or format, enums with other values, objects and arrays
 * whose contents changed), or kinds one converts to the other (`typeRelation` not `unrelated`: an integer
 * becoming a string or a bigint, a scalar becoming JSON or an array). A boolean is never the old name of a
 * string, nor a date of a number: those pairs are not offered, and do not make a diff ambiguous.
 *
 * @example
 * isRenameCandidate({ kind: 'number', integer: true }, { kind: 'string' }); // true
 * isRenameCandidate({ kind: 'boolean' }, { kind: 'string' }); // false
 */
export function isRenameCandidate(from: TypeSnapshot, to: TypeSnapshot): boolean {
  return from.kind === to.kind || typeRelation(from, to).relation !== 'unrelated';
}

/**
 * Whether a vanished model could have been renamed to a new one: both tables, or both collections.
 *
 * @example
 * isModelRenameCandidate(prev.models.Client!, next.models.Customer!); // true when both are SQL tables
 */
export function isModelRenameCandidate(from: ModelSnapshot, to: ModelSnapshot): boolean {
  return from.target === to.target;
}
