import { sha256 } from './canonical-json.ts';
import { ENGINE_IDENTIFIER_LIMIT } from './dialects/engine-facts.ts';
import { EvolveError } from './errors.ts';

/**
 * Model, field, table, column and index names must be plain identifiers: a letter or underscore, then
 * letters, digits or underscores, at most 63 characters (`MAX_IDENTIFIER_LENGTH`). Quotes, semicolons,
 * spaces and dots are rejected at definition time; reserved words (`order`, `select`) are allowed and
 * quoted by Kysely.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The longest identifier every supported engine keeps whole (see `ENGINE_IDENTIFIER_LIMIT`). */
export const MAX_IDENTIFIER_LENGTH = ENGINE_IDENTIFIER_LIMIT;

/** Characters of the hash that ends a shortened name (32 bits: a collision needs ~65 000 long names). */
const HASH_LENGTH = 8;

export function assertIdentifier(name: unknown, what: string, path: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new EvolveError(
      'INVALID_MODEL',
      `${what} ${JSON.stringify(name)} at ${path} is not a valid identifier ` +
        '(letters, digits and underscores, starting with a letter or underscore, at most 63 characters)',
      { path },
    );
  }
  if (name === '__proto__') {
    // it cannot be a key of the plain objects models and documents travel in without replacing their prototype
    throw new EvolveError(
      'INVALID_MODEL',
      `${what} "__proto__" at ${path} is reserved: choose another name`,
      {
        path,
      },
    );
  }
}

/**
 * A name evolve derives for the user's schema (an index, a foreign key, a constraint) made to fit every
 * engine: unchanged when it fits, else cut and ended with a hash of the whole name, so that two long names
 * sharing a prefix stay apart instead of being truncated into one (as the engines would do silently).
 *
 * @example
 * fitIdentifier('orders_customer_idx') // 'orders_customer_idx'
 * fitIdentifier(`t_${'x'.repeat(70)}_idx`) // 't_xxx…xxx_1a2b3c4d' (63 characters)
 */
export function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  return withHash(name, sha256(name));
}

/**
 * The name of an object evolve creates for its own use during a migration (a shadow column, a temporary
 * table): `readable` for people, then a hash of `identity` (what the object is for: its purpose, table,
 * column), always, so that it is unique to that change, never equal to a name the user chose, and within
 * every engine's identifier limit.
 *
 * @example
 * internalIdentifier('_evolve_price', ['shadow', 'orders', 'price']) // '_evolve_price_5f0c9a1e'
 */
export function internalIdentifier(readable: string, identity: readonly string[]): string {
  return withHash(readable, sha256(JSON.stringify(identity)), true);
}

function withHash(name: string, hash: string, always = false): string {
  const suffix = `_${hash.slice(0, HASH_LENGTH)}`;
  if (!always && name.length <= MAX_IDENTIFIER_LENGTH) return name;
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}`;
}
