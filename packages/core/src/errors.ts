/** Machine-readable codes of every error evolve raises. Stable: tools and tests match on them. */
export type EvolveErrorCode =
  | 'INVALID_MODEL'
  | 'INVALID_SCHEMA'
  | 'AMBIGUOUS_RENAME'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_CHANGESET'
  | 'INVALID_MIGRATION'
  | 'INVALID_CONFIG'
  | 'CHECKSUM_MISMATCH'
  | 'TODO_TRANSFORM'
  | 'TRANSFORM_FAILED'
  | 'UNSUPPORTED_CHANGE'
  | 'UNACKNOWLEDGED_CHANGE'
  | 'LOCK_TIMEOUT'
  | 'LOCK_LOST'
  | 'CATCH_UP_BEHIND'
  | 'VALIDATION_FAILED'
  | 'FUTURE_VERSION'
  | 'OUT_OF_ORDER'
  | 'MIGRATION_FAILED'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_LOST'
  | 'DATABASE_AHEAD'
  | 'WRITE_CONFLICT'
  | 'NOT_FOUND'
  | 'NO_CONFIG'
  | 'MISSING_DRIVER'
  | 'ALREADY_APPLIED'
  | 'WOULD_OVERWRITE';

/**
 * The one error class evolve throws. `path` points at what is at fault: a model/field path
 * (`User.address.city`), a file, a migration id or a document id.
 *
 * @example
 * try {
 *   diff(prev, next);
 * } catch (e) {
 *   if (e instanceof EvolveError && e.code === 'AMBIGUOUS_RENAME') console.error(`${e.path}: ${e.message}`);
 * }
 */
export class EvolveError extends Error {
  override readonly name = 'EvolveError';
  readonly code: EvolveErrorCode;
  readonly path?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    code: EvolveErrorCode,
    message: string,
    options: { path?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    if (options.details !== undefined) this.details = options.details;
  }

  toJSON(): { code: EvolveErrorCode; message: string; path?: string } {
    return { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) };
  }
}

/**
 * Narrows an unknown thrown value to an EvolveError (optionally of one code).
 *
 * @example
 * try {
 *   diff(prev, next);
 * } catch (error) {
 *   if (isEvolveError(error, 'AMBIGUOUS_RENAME')) console.error(error.message); // names the candidates
 *   else throw error;
 * }
 */
export function isEvolveError(value: unknown, code?: EvolveErrorCode): value is EvolveError {
  return value instanceof EvolveError && (code === undefined || value.code === code);
}
