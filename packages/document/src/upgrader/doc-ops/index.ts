/**
 * `docOps`: the helpers generated `up`/`down` functions call (imported as `docOps as d`), also used by the
 * change interpreter (compile-step.ts).
 *
 * Every edit takes the step's own shallow copy of the document (`out`) and changes it in place; nested
 * objects and arrays on the way are replaced by edited copies, so the input document is never mutated.
 * A path is a list of field names; `'[]'` steps into every element of an array. Generated steps write most
 * nested edits out instead (see emit-owned-edit.ts): `copyPath` first gives a step on its own copy its own
 * objects along the path, and the written-out lines edit those in place.
 *
 * Members are read own-only: one named like a member every object inherits (`constructor`, `toString`...)
 * is absent when the document does not have it, not the inherited function (`own`; generated steps
 * read such names with `d.own(out, 'constructor')`, other names plainly).
 *
 * A member whose value is `undefined` is absent. Removing a member sets it to `undefined` instead of
 * deleting it: `delete` (or object rest) on a copy puts V8 objects on a slow path, and an upgrade chain
 * touches each document ten times over. `clean` drops such members once, at the end of a chain.
 */

export * as conv from '../conversions.ts';
export { call, given, hasAny, todo } from './call.ts';
export { clean } from './clean.ts';
export { copyPath } from './copy-path.ts';
export { isRecord } from './edit-path.ts';
export { moveIn } from './move-in.ts';
export { own } from './own.ts';
export { getIn, putIn } from './put-in.ts';
export { fillIn, removeIn, setIn, updateIn } from './set-in.ts';
