/** One problem `check` found. `pending` problems (models changed without a migration) exit 2, errors exit 1. */
export interface CheckFinding {
  code: string;
  severity: 'error' | 'pending' | 'warning';
  message: string;
  /** The model/field path, migration id or file at fault. */
  path?: string;
  /** File (relative to the project root) and line, for annotations. */
  file?: string;
  line?: number;
  /** The shrunk input a `transform-property` finding failed on. */
  counterexample?: unknown;
}

/** Makes absolute paths relative to the project root (annotations and messages use those). */
export type Relative = (path: string) => string;
