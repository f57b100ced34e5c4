import { EvolveError, internalIdentifier } from '@evolve/core';
import type { SqlStep } from '../steps/sql-step.ts';
import type { ChangeLogSpec } from './shared/change-log-sql.ts';
import type { SchemaState, TableState } from './shared/table-state.ts';
import { type ValueKind, valueKind } from './shared/value-kind.ts';

/** Kinds of value a dialect may compare by collation rather than byte for byte. */
const TEXT_KINDS = new Set<ValueKind>(['string', 'uuid', 'json']);

/**
 * A table as a backfill finds it, the columns the migration added to it before, and the tables whose
 * foreign keys reference it then.
 */
export type BackfillSeen = { table: TableState; added: ReadonlySet<string>; children: readonly string[] };

/**
 * A backfill's target columns by how the old code relates to them: `fills`, columns the migration added
 * (the old code never writes them); `nullFills`, existing columns filled where NULL; `inPlace`, existing
 * columns rewritten in place, which the old code writes too.
 */
export function syncedColumns(
  targets: readonly string[],
  seen: BackfillSeen,
  step: Extract<SqlStep, { kind: 'backfill' }>,
): { fills: string[]; nullFills: string[]; inPlace: string[] } {
  const existing = targets.filter((c) => !seen.added.has(c));
  return {
    fills: targets.filter((c) => seen.added.has(c)),
    nullFills: existing.filter((c) => step.set[c]?.onlyNull),
    inPlace: existing.filter((c) => !step.set[c]?.onlyNull),
  };
}

/** The change log of one backfill pass: its table, triggers, and the columns it follows. */
export function changeLogSpec(
  seen: BackfillSeen,
  columns: {
    targets: readonly string[];
    fills: readonly string[];
    nullFills: readonly string[];
    inPlace: readonly string[];
  },
  index: number,
  lockTimeoutMs: number,
): ChangeLogSpec {
  const { targets, fills, nullFills, inPlace } = columns;
  const synced = [...fills, ...nullFills, ...inPlace];
  const { table } = seen;
  const identity = [table.name, ...synced, String(index)];
  const readable = table.name.replace(/[^A-Za-z0-9_]/g, '_');
  const key = table.primaryKey.map((k) => {
    const column = table.columns.find((c) => c.name === k);
    if (!column) {
      throw new EvolveError('INVALID_MIGRATION', `primary key column ${table.name}.${k} does not exist`, {
        path: table.model,
      });
    }
    return column;
  });
  return {
    table: table.name,
    key,
    log: internalIdentifier(`_evolve_log_${readable}`, ['change-log', ...identity]),
    // at most 60 characters, leaving room for the `_i`, `_u`, `_n`, `_f` suffixes within 63
    trigger: internalIdentifier(`_evolve_sync_${readable}`.slice(0, 51), ['change-log-trigger', ...identity]),
    // the backfill's own writes (every column it fills) are no change of the old code's; without new
    // columns an in-place backfill logs no source change (the drain would transform its columns again)
    sources:
      inPlace.length > 0 && fills.length === 0
        ? []
        : table.columns
            .filter((c) => !seen.added.has(c.name) && !targets.includes(c.name))
            .map((c) => ({ name: c.name, text: isText(c) })),
    fills: [...fills],
    nullFills: [...nullFills],
    inPlace: table.columns
      .filter((c) => inPlace.includes(c.name))
      .map((c) => ({ name: c.name, text: isText(c) })),
    lockTimeoutMs,
    children: seen.children,
  };
}

/** Whether a column holds a kind of value a dialect may compare by collation rather than byte for byte. */
function isText(column: TableState['columns'][number]): boolean {
  return column.spec.sqlType !== undefined || TEXT_KINDS.has(valueKind(column.spec.type));
}

/** The tables (other than `table`) whose foreign keys reference `table` in `state`. */
export function referencing(state: SchemaState, table: string): string[] {
  return [...state.values()]
    .filter((t) => t.name !== table && t.foreignKeys.some((fk) => fk.references.table === table))
    .map((t) => t.name);
}
