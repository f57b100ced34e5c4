/** The name of a dialect evolve supports (PGlite runs the `postgres` plans). */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';
