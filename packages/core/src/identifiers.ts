import { EvolveError } from './errors.ts';

/**
 * Model, field, table, column and index names must be plain identifiers: a letter or underscore, then
 * letters, digits or underscores, at most 63 characters (PostgreSQL's limit). Quotes, semicolons,
 * spaces and dots are rejected at definition time; reserved words (`order`, `select`) are allowed and
 * quoted by Kysely.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertIdentifier(name: unknown, what: string, path: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new EvolveError(
      'INVALID_MODEL',
      `${what} ${JSON.stringify(name)} at ${path} is not a valid identifier ` +
        '(letters, digits and underscores, starting with a letter or underscore, at most 63 characters)',
      { path },
    );
  }
}
