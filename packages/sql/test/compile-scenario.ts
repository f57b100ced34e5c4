import { diff, emptySnapshot, type Migration, type Snapshot, type Transforms } from '@evolve/core';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { type CompiledStep, compileMigration, detectDrift, type SqlDialect } from '../src/index.ts';
import { runCompiled } from './compile-helpers.ts';

const tablesOf = (...snapshots: Snapshot[]) =>
  new Set(
    snapshots.flatMap((s) =>
      Object.values(s.models)
        .filter((m) => m.target === 'sql')
        .map((m) => m.table),
    ),
  );

/** Drift of the tables a test owns (other tests share the database). */
export async function driftOf(db: Kysely<any>, expected: Snapshot, ...others: Snapshot[]) {
  const own = tablesOf(expected, ...others);
  const drift = await detectDrift(db, expected, { ignoreTables: (name) => !own.has(name) });
  return drift.map((d) => d.message);
}

export interface Scenario {
  before: Snapshot;
  after: Snapshot;
  renames?: Record<string, string>;
  rows?: Record<string, Record<string, unknown>[]>;
  transforms?: Transforms;
  /** Runs the down migration afterwards and checks the schema is back to `before`. */
  down?: boolean | { transforms?: Transforms };
}

/**
 * Creates `before` on the database, fills rows, applies the migration from `before` to `after` (as
 * `compileMigration` plans it), and checks that the database now matches `after`; optionally back down.
 */
export async function runScenario(db: Kysely<any>, dialect: SqlDialect, scenario: Scenario) {
  const { before, after } = scenario;
  const create = diff(emptySnapshot(), before);
  const setup = compileMigration(
    { id: '0001_setup', ...create },
    { dialect, before: emptySnapshot(), direction: 'up' },
  );
  await runCompiled(db, setup);
  for (const [table, rows] of Object.entries(scenario.rows ?? {})) {
    if (rows.length > 0) await db.insertInto(table).values(rows).execute();
  }
  const changeSet = diff(before, after, scenario.renames ? { renames: scenario.renames } : {});
  const migration: Migration = {
    id: '0002_change',
    ...changeSet,
    ...(scenario.transforms ? { transforms: scenario.transforms } : {}),
  };
  const up: CompiledStep[] = compileMigration(migration, { dialect, before, direction: 'up' });
  await runCompiled(db, up, scenario.transforms ? { transforms: scenario.transforms } : {});
  expect(await driftOf(db, after, before)).toEqual([]);
  let down: CompiledStep[] = [];
  if (scenario.down) {
    down = compileMigration(migration, { dialect, before, direction: 'down' });
    const transforms = typeof scenario.down === 'object' ? scenario.down.transforms : undefined;
    return { up, down, changeSet, runDown: () => runCompiled(db, down, transforms ? { transforms } : {}) };
  }
  return { up, down, changeSet, runDown: async () => {} };
}
