/** The helpers generated `up`/`down` functions call (imported as `docOps as d`). */
export * as conv from './conversions.ts';
export { call, fillIn, getIn, moveIn, omitKeys, putIn, removeIn, setIn, todo, updateIn } from './doc-ops.ts';
