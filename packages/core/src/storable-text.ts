import { EvolveError } from './errors.ts';
import type { JsonValue } from './snapshot-types.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a value cannot be stored exactly by every engine, or undefined when it can: a NUL character
 * (an engine may reject it in text or end a literal there), a lone UTF-16 surrogate (no UTF-8 form, so
 * drivers replace it), or a number that is not finite (JSON has no NaN or Infinity; it would turn into null).
 */
export function unstorable(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `a number that is not finite (${value})`;
  if (typeof value === 'string') {
    if (value.includes('\0')) return 'a NUL character (\\0)';
    if (LONE_SURROGATE.test(value)) return 'a lone UTF-16 surrogate (not valid Unicode)';
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const problem = unstorable(k) ?? unstorable(v);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Refuses (INVALID_MODEL at `path`) a default, enum value or literal that no engine stores exactly.
 *
 * @example
 * assertStorable('a\0b', 'default', 'User.name'); // throws: default at User.name contains a NUL character (\0)
 */
export function assertStorable(value: unknown, what: string, path: string): void {
  const problem = unstorable(value as JsonValue);
  if (problem) throw new EvolveError('INVALID_MODEL', `${what} at ${path} contains ${problem}`, { path });
}
