import { EvolveError, type OnDeleteAction } from '@evolve/core';
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

/** A constraint or index name derived from a table and column, within PostgreSQL's 63-character limit. */
export const derivedName = (table: string, column: string, suffix: string): string =>
  `${table}_${column}`.slice(0, 63 - suffix.length - 1) + `_${suffix}`;
