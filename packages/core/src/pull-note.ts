/**
 * Something of the live database that the pulled models do not describe, with where it is and why. Nothing
 * is left out without one.
 */
export interface PullNote {
  table: string;
  /** The column, index, constraint or trigger it concerns, when it is narrower than the table. */
  item?: string;
  /**
   * `skipped`: the table (or item) is not in the models (a trigger, a view, a table without a primary key);
   * `approximated`: modelled, but something about it is not (the database keeps it; `check --db` may report it).
   */
  kind: 'skipped' | 'approximated';
  reason: string;
}
