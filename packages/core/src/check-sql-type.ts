import { EvolveError } from './errors.ts';

// A type name of one or more words (`double precision`, `timestamp with time zone`, `int unsigned`), at most one
// `(n)` or `(n, m)` (optionally followed by more words: `varchar(20) binary`), and optional `[]` dimensions.
// Nothing else: no quotes, semicolons, comments or expressions can reach a DDL statement through `sqlType`.
const WORD = '[A-Za-z_][A-Za-z0-9_]*';
const SQL_TYPE = new RegExp(
  `^${WORD}(?: ${WORD})*(?: ?\\(\\s*\\d{1,9}\\s*(?:,\\s*\\d{1,9}\\s*)?\\))?(?: ${WORD})*(?:\\[\\d{0,9}\\])*$`,
);
const MAX_SQL_TYPE = 100;

/**
 * Checks a field's `sqlType` override against the type grammar and returns it; anything else is refused with
 * INVALID_MODEL at definition time, so it never reaches the database.
 *
 * @example
 * checkSqlType('numeric(10, 2)', 'Order.total'); // 'numeric(10, 2)'
 * checkSqlType('text); drop table x; --', 'A.b'); // throws INVALID_MODEL
 */
export function checkSqlType(sqlType: string, path: string): string {
  if (sqlType.length > MAX_SQL_TYPE || !SQL_TYPE.test(sqlType)) {
    throw new EvolveError(
      'INVALID_MODEL',
      `meta.sqlType at ${path} is not a SQL type name: ${JSON.stringify(sqlType.slice(0, MAX_SQL_TYPE))} (expected a type name, an optional (n) or (n, m), an optional [])`,
      { path },
    );
  }
  return sqlType;
}
