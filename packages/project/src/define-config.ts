/** The database section of `evolve.config.ts`. */
export interface DatabaseConfig {
  /**
   * Where the database is. Its scheme selects the dialect and the driver (the schemes `parseDatabaseUrl`
   * lists; a plain path is a file of the embedded default). `DATABASE_URL` overrides it. Default: the
   * embedded database file `./evolve.db` in the project.
   */
  url?: string;
  /**
   * Where the document models live when they are not in `url`'s database: a `mongodb://` URL beside a SQL
   * database, for projects with both kinds of model. With `url` itself a `mongodb://` URL, leave it out.
   */
  documents?: string;
}

/** What `evolve.config.ts` (or `.js`, `.mjs`, `.json`) declares. Paths are relative to the config file. */
export interface EvolveConfig {
  /** The module whose default export is the `defineSchema(...)` result. Default `./src/models.ts`. */
  schema?: string;
  /** The migrations folder (`NNNN_slug.ts` modules, `index.ts`, `snapshot.json`, `evolve.sum`). Default `./migrations`. */
  migrations?: string;
  database?: DatabaseConfig;
}

/**
 * Types an evolve configuration (identity at runtime).
 *
 * @example
 * // evolve.config.ts (`defineConfig` comes from @evolve/project or, the same function, @evolve/cli)
 * export default defineConfig({ schema: './src/models.ts', migrations: './migrations' });
 */
export function defineConfig(config: EvolveConfig): EvolveConfig {
  return config;
}
