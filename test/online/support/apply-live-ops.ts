import type { Row } from '@evolve/core';
import { keyText, type LiveOp } from './run-live-writer.ts';

/** Rows per table, keyed by column name (the fixture's `Rows`). */
export type TableRows = Record<string, Row[]>;

/** A row of the old schema that the writer wrote, with where it sat. */
export interface WrittenRow {
  table: string;
  row: Row;
  /** When the statement that wrote it last was acknowledged (`wallClock()`). */
  at: number;
}

/** The old application's view of the data: what it can rely on after its acknowledged statements. */
export interface LiveModel {
  /** The rows before the migration with every statement acknowledged by `until` applied. */
  rows: TableRows;
  /** Rows written by an acknowledged statement (their last version; a deleted row as it was). */
  written: WrittenRow[];
  /** Rows a statement acknowledged after `until` touched: their outcome is not the migration's to carry. */
  uncertain: WrittenRow[];
}

/**
 * Replays the writer's successful statements, in completion order, over the rows read before the
 * migration. One statement per row at a time (the writer guarantees it), so the order per row is exact.
 */
export function applyLiveOps(
  base: TableRows,
  keys: Record<string, string[]>,
  ops: readonly LiveOp[],
  until: number,
): LiveModel {
  const tables = new Map(
    Object.entries(base).map(([table, rows]) => [
      table,
      new Map(rows.map((row) => [keyText(keys[table] ?? [], row), row])),
    ]),
  );
  const written = new Map<string, WrittenRow>();
  const uncertain: WrittenRow[] = [];
  for (const op of [...ops].filter((o) => !o.error).sort((a, b) => a.endedAt - b.endedAt)) {
    const table = tables.get(op.table);
    const key = keys[op.table] ?? [];
    if (!table) continue;
    const id = keyText(key, op.key);
    const current = table.get(id);
    const after =
      op.kind === 'insert'
        ? { ...op.values }
        : op.kind === 'update'
          ? { ...current, ...op.values }
          : undefined;
    if (op.endedAt > until) {
      for (const row of [current, after]) if (row) uncertain.push({ table: op.table, row, at: op.endedAt });
      continue;
    }
    if (after) table.set(id, after);
    else table.delete(id);
    const last = after ?? current;
    if (last) written.set(`${op.table} ${id}`, { table: op.table, row: last, at: op.endedAt });
  }
  const rows = Object.fromEntries(
    [...tables].map(([table, byKey]) => [
      table,
      [...byKey.values()].sort((a, b) => compareKeys(keys[table] ?? [], a, b)),
    ]),
  );
  return { rows, written: [...written.values()], uncertain };
}

function compareKeys(key: readonly string[], a: Row, b: Row): number {
  for (const k of key) {
    const x = a[k] as number | string;
    const y = b[k] as number | string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
