/**
 * Thrown in a batch's transaction when its write, checked by row versions, skipped a row that changed
 * after the unlocked read: the runner rolls the batch back and redoes it reading its rows locked.
 *
 * @example
 * throw new RowsChangedSinceRead(998, 1000); // "2 of 1000 rows changed between the batch's read and its write"
 */
export class RowsChangedSinceRead extends Error {
  constructor(
    readonly written: number,
    readonly read: number,
  ) {
    super(`${read - written} of ${read} rows changed between the batch's read and its write`);
  }
}
