/** The helpers generated `up`/`down` functions call (imported as `docOps as d`). */
export * as conv from './conversions.ts';
export {
  call,
  clean,
  fillIn,
  getIn,
  given,
  hasAny,
  moveIn,
  putIn,
  removeIn,
  setIn,
  todo,
  updateIn,
} from './doc-ops.ts';
