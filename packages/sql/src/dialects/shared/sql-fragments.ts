import { EvolveError, fitIdentifier, type OnDeleteAction } from '@evolve/core';
import { type RawBuilder, sql } from 'kysely';

/**
 * A MySQL/SQLite JSON path literal with quoted keys (`$."address"."city"`). Keys are field names, which
 * core validates as identifiers, so they cannot break out of the quotes.
 */
export const jsonPath = (keys: readonly string[]) => sql.lit(`$${keys.map((k) => `."${k}"`).join('')}`);

/** A comma-separated list of quoted identifiers. */
export const idList = (names: readonly string[]): RawBuilder<unknown> =>
  sql.join(names.map((n) => sql.id(n)));

const ON_DELETE: Record<OnDeleteAction, string> = {
  cascade: 'cascade',
  restrict: 'restrict',
  'set null': 'set null',
  'no action': 'no action',
};

/** The ON DELETE action as a keyword (from a closed list, so it is never user text). */
export function onDeleteKeyword(action: OnDeleteAction): RawBuilder<unknown> {
  const keyword = ON_DELETE[action];
  if (!keyword)
    throw new EvolveError('INVALID_MIGRATION', `unknown onDelete action ${JSON.stringify(action)}`);
  return sql.raw(keyword);
}

/**
 * A constraint or index name derived from a table and column (`orders_total_not_null`), within every
 * engine's identifier limit; a long one is shortened with a hash, so two long columns never share it.
 */
/** The primary key constraint evolve names after its table (`orders_pkey`), within every identifier limit. */
export const primaryKeyName = (table: string): string => fitIdentifier(`${table}_pkey`);

export const derivedName = (table: string, column: string, suffix: string): string =>
  fitIdentifier(`${table}_${column}_${suffix}`);
