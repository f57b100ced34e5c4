import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';

/**
 * Whether a statement that failed as "already there" was applied by an earlier, interrupted attempt of ours:
 * the dialect recognises the error (`isAlreadyApplied`) and finds the object to be exactly the one the
 * statement creates (`confirmApplied`). A check that cannot run proves nothing: the statement's own error
 * then stands. Callers ask only for the statement their progress row recorded as under way.
 */
export async function appliedEarlier(
  caps: DialectCapabilities,
  executor: Kysely<any>,
  error: unknown,
  statement: string,
): Promise<boolean> {
  if (!caps.isAlreadyApplied?.(error, statement)) return false;
  return (await caps.confirmApplied?.(executor, statement, error).catch(() => false)) ?? false;
}
