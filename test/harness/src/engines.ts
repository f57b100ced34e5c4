/** The engines the test suites can run against, and how each is reached (DESIGN.md, "Engines"). */
export type SqlEngineName = 'sqlite' | 'pglite' | 'postgres' | 'mysql';
export type EngineName = SqlEngineName | 'mongodb';
export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

export const SQL_ENGINES: readonly SqlEngineName[] = ['sqlite', 'pglite', 'postgres', 'mysql'];

export const DIALECT_OF: Record<SqlEngineName, SqlDialectName> = {
  sqlite: 'sqlite',
  pglite: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
};

/** What the global setup found: a server URL per engine, or the reason it is unavailable. */
export interface EngineAvailability {
  urls: Partial<Record<EngineName, string>>;
  unavailable: Partial<Record<EngineName, string>>;
}

/** Engines named in EVOLVE_REQUIRE must run; a missing one fails instead of being skipped. */
export function requiredEngines(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set(
    (env.EVOLVE_REQUIRE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** `EVOLVE_ENGINES=sqlite,postgres` narrows the engines a run uses (like Kysely's DIALECTS filter). */
export function selectedEngines(env: NodeJS.ProcessEnv = process.env): Set<string> | undefined {
  const raw = env.EVOLVE_ENGINES?.trim();
  return raw ? new Set(raw.split(',').map((s) => s.trim())) : undefined;
}
