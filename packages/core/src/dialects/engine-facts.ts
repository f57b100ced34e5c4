// The facts about particular SQL engines that core's rules and messages rest on. Core never branches on a
// dialect (the dialect modules of @evolve/sql apply these facts); it only names the engines in messages, so
// that a user knows where a rule comes from.

/** Where table names that differ only by case are one table. */
export const CASE_INSENSITIVE_TABLES = 'SQLite';

/** Where column names that differ only by case are one column. */
export const CASE_INSENSITIVE_COLUMNS = 'MySQL and SQLite';

/**
 * The longest identifier every supported engine keeps whole: PostgreSQL 63 bytes, MySQL 64 characters
 * (SQLite has no limit).
 */
export const ENGINE_IDENTIFIER_LIMIT = 63;

/** How to add a unique index to a table that holds rows without blocking writes. */
export const ONLINE_UNIQUE_INDEX = 'on PostgreSQL build it concurrently';

/** How to add a foreign key to a table that holds rows without a long lock. */
export const ONLINE_FOREIGN_KEY = 'on PostgreSQL add it NOT VALID, then VALIDATE in a separate step';

/** Where an integer key is filled by the database whether or not it is marked generated. */
export const INTEGER_KEYS_ALWAYS_FILLED = 'on SQLite, which fills an INTEGER key anyway';
