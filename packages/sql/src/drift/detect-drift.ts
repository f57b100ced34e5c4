import { assertSnapshot, type Snapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';
import { capabilitiesOf, dialectOf } from '../dialects/capabilities-for.ts';
import { schemaStateOf } from '../dialects/shared/table-state.ts';
import { compareTable } from './compare-table.ts';

export type DriftKind =
  | 'missingTable'
  | 'extraTable'
  | 'missingColumn'
  | 'extraColumn'
  | 'columnType'
  | 'nullability'
  | 'default'
  | 'primaryKey'
  | 'missingIndex'
  | 'extraIndex'
  | 'index'
  | 'generated'
  | 'missingForeignKey'
  | 'extraForeignKey'
  | 'enumCheck';

/** One difference between the live database and the schema a snapshot describes. */
export interface Drift {
  kind: DriftKind;
  table: string;
  column?: string;
  /** What compiling the snapshot would create (null: nothing). */
  expected: unknown;
  /** What the database has (null: nothing). */
  actual: unknown;
  message: string;
}

export interface DetectDriftOptions {
  /** Default: the Kysely instance's, from its adapter (an unknown adapter is INVALID_CONFIG, never a guess). */
  dialect?: SqlDialect;
  /** Tables to leave out besides evolve's own (`evolve_*`), for example another tool's tables. */
  ignoreTables?: (name: string) => boolean;
}

/**
 * Compares the live database with the tables compiling `snapshot` would create: tables, columns, types,
 * nullability, defaults, primary keys, indexes, unique constraints and foreign keys (catalog queries per
 * dialect). Document models (and the tables holding their JSON rows) and evolve's own tables (`evolve_*`)
 * are left out. Empty when it matches.
 *
 * @example
 * const drift = await detectDrift(db, snapshot);
 * for (const d of drift) console.log(d.message);
 */
export async function detectDrift(
  db: Kysely<any>,
  snapshot: Snapshot,
  options: DetectDriftOptions = {},
): Promise<Drift[]> {
  assertSnapshot(snapshot, 'snapshot');
  const module = capabilitiesOf(options.dialect ?? dialectOf(db));
  // document models stored as JSON rows in a SQL table are not evolve-managed tables either
  const documentTables = new Set(
    Object.values(snapshot.models)
      .filter((m) => m.target === 'document')
      .map((m) => m.table),
  );
  const ignored = (name: string) =>
    name.startsWith('evolve_') || documentTables.has(name) || (options.ignoreTables?.(name) ?? false);
  const expected = schemaStateOf(snapshot);
  const live = await module.introspect(db);
  const drift: Drift[] = [];
  for (const table of expected.values()) {
    const found = live.get(table.name);
    if (!found) {
      drift.push({
        kind: 'missingTable',
        table: table.name,
        expected: table.name,
        actual: null,
        message: `table ${table.name} is missing`,
      });
    } else drift.push(...compareTable(module, table, found));
  }
  for (const name of live.keys()) {
    if (!expected.has(name) && !ignored(name)) {
      drift.push({
        kind: 'extraTable',
        table: name,
        expected: null,
        actual: name,
        message: `table ${name} is not in the schema`,
      });
    }
  }
  return drift;
}
