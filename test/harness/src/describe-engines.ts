import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import type { EngineAvailability, SqlEngineName } from './engines.ts';
import { requiredEngines, SQL_ENGINES, selectedEngines } from './engines.ts';
import { pgbouncerBinary } from './start-pgbouncer.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface EngineStatus {
  engine: string;
  available: boolean;
  reason?: string;
  url?: string;
}

function availability(): EngineAvailability {
  try {
    return inject('evolveEngines') ?? { urls: {}, unavailable: {} };
  } catch {
    return { urls: {}, unavailable: {} };
  }
}

/** Whether an engine can be used in this run, and why not when it cannot. */
export function engineStatus(engine: string): EngineStatus {
  const selected = selectedEngines();
  if (selected && !selected.has(engine)) {
    return { engine, available: false, reason: 'excluded by EVOLVE_ENGINES' };
  }
  if (engine === 'sqlite' || engine === 'pglite') return { engine, available: true };
  // Started by the tests that need it (start-pgbouncer.ts): available where its binary is installed.
  if (engine === 'pgbouncer') {
    return pgbouncerBinary()
      ? { engine, available: true }
      : {
          engine,
          available: false,
          reason: 'the pgbouncer binary is not installed (Debian package pgbouncer)',
        };
  }
  const a = availability();
  const url = a.urls[engine as keyof EngineAvailability['urls']];
  if (url) return { engine, available: true, url };
  return {
    engine,
    available: false,
    reason: a.unavailable[engine as 'postgres'] ?? 'not probed (global setup did not run)',
  };
}

/**
 * Declares an engine's suite: runs `body` when the engine is available, prints a notice and skips it
 * otherwise, and fails when `EVOLVE_REQUIRE` names the missing engine.
 */
export function describeEngine(engine: string, title: string, body: (status: EngineStatus) => void) {
  const status = engineStatus(engine);
  const name = `${engine}: ${title}`;
  if (status.available) {
    describe(name, () => body(status));
    return;
  }
  if (requiredEngines().has(engine)) {
    describe(name, () => {
      it(`${engine} is available (EVOLVE_REQUIRE lists it)`, () => {
        throw new Error(`EVOLVE_REQUIRE lists ${engine}, but it is unavailable: ${status.reason}`);
      });
    });
    return;
  }
  console.warn(`[evolve harness] skipping "${name}": ${status.reason}`);
  describe.skip(name, () => body(status));
}

/**
 * One test body, every SQL engine (SQLite, PGlite, PostgreSQL, MariaDB/MySQL), as Kysely's suite does.
 * Each engine gets a fresh database for the file, dropped afterwards; `ctx()` returns it inside tests.
 *
 * @example
 * describeSqlEngines('journal', (ctx) => {
 *   it('creates the journal table', async () => { const { db } = ctx(); ... });
 * });
 */
export function describeSqlEngines(
  title: string,
  body: (ctx: () => TestDatabase, engine: SqlEngineName) => void,
  options: { engines?: readonly SqlEngineName[] } = {},
) {
  for (const engine of options.engines ?? SQL_ENGINES) {
    describeEngine(engine, title, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(engine, availability().urls);
      }, 60_000);
      afterAll(async () => {
        await database?.destroy();
      });
      body(() => {
        if (!database) throw new Error(`test database for ${engine} was not created`);
        return database;
      }, engine);
    });
  }
}
