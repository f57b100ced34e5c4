import {
  buildPulledSchema,
  EvolveError,
  type PulledModel,
  type PullNote,
  renderModels,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../compiled-step.ts';
import { capabilitiesOf, dialectOf } from '../dialects/capabilities-for.ts';
import { tableStateOf } from '../dialects/shared/table-state.ts';
import { compareTable } from '../drift/compare-table.ts';
import { pulledModels } from './pulled-models.ts';

export interface PullSchemaOptions {
  /** Default: guessed from the Kysely instance's adapter. */
  dialect?: SqlDialect;
  /** Only these tables (NOT_FOUND for one the database does not have). Default: all but `evolve_*`. */
  tables?: readonly string[];
}

export interface PullResult {
  dialect: SqlDialect;
  models: PulledModel[];
  /** The snapshot of the pulled models: what the models file gives `toSnapshot`. */
  snapshot: Snapshot;
  /** The models file: TypeScript with one `defineModel` per table and a `defineSchema` default export. */
  source: string;
  /** What the models leave out or only approximate, by table. */
  notes: PullNote[];
}

/**
 * Reads a live database's tables (columns with their types, lengths and defaults, nullability, primary
 * keys, indexes and unique constraints, foreign keys, enum CHECKs) and describes them as evolve models: the
 * models file's source and its snapshot. What the models cannot hold (a table without a primary key, a
 * trigger, a view, a partial index, an expression default, ...) is listed in `notes` with its table and why,
 * and is also compared away: every difference left between the pulled snapshot and the live tables becomes a
 * note, so a pull with no notes is one `detectDrift` finds nothing in. Reads only.
 *
 * @example
 * const { source, snapshot, notes } = await pullSchema(db, { tables: ['users', 'orders'] });
 * for (const n of notes) console.log(`${n.table}: ${n.reason}`);
 */
export async function pullSchema(db: Kysely<any>, options: PullSchemaOptions = {}): Promise<PullResult> {
  const dialect = options.dialect ?? dialectOf(db);
  const module = capabilitiesOf(dialect);
  const live = await module.introspect(db);
  for (const table of options.tables ?? []) {
    if (!live.has(table)) {
      throw new EvolveError('NOT_FOUND', `the database has no table ${JSON.stringify(table)}`, {
        path: table,
        details: { tables: [...live.keys()].sort() },
      });
    }
  }
  const extras = await module.liveExtras(db);
  const { models, notes } = pulledModels(
    module,
    live,
    extras,
    options.tables ? { tables: options.tables } : {},
  );
  const snapshot = toSnapshot(buildPulledSchema(models));
  const pulledTables = new Set(models.map((m) => m.table));
  for (const model of Object.values(snapshot.models)) {
    const found = live.get(model.table);
    if (!found) continue;
    for (const d of compareTable(module, tableStateOf(model, snapshot), found)) {
      const index = (d.actual as { name?: string } | null)?.name;
      if (d.kind === 'extraIndex' && extras.unmodelledIndexes.has(`${model.table}.${index}`)) continue;
      // a key to a table left out is noted already, where it was left out
      const to = (d.actual as { references?: { table: string } } | null)?.references?.table;
      if (d.kind === 'extraForeignKey' && to !== undefined && !pulledTables.has(to)) continue;
      notes.push({
        table: model.table,
        ...(d.column ? { item: d.column } : {}),
        kind: 'approximated',
        reason: `not exactly modelled (evolve check --db reports it): ${d.message}`,
      });
    }
  }
  return { dialect, models, snapshot, source: renderModels(models, notes), notes };
}
