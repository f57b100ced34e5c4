import { isDeepStrictEqual } from 'node:util';
import type { Row } from '@evolve/core';
import type { TableRows, WrittenRow } from './apply-live-ops.ts';
import { keyText } from './run-live-writer.ts';

/** How a migration's rows compare with what the old application can rely on, by kind of fault. */
export type RowFaults = Record<string, { count: number; examples: string[] }>;

/**
 * Where rows of the old schema end up in the new one: `transform` (a migration's row function, old rows
 * to new rows) applied to each row alone, keyed `table key` by the new primary keys.
 */
export function locateRows(
  rows: readonly WrittenRow[],
  transform: (before: TableRows) => TableRows,
  oldTables: readonly string[],
  newKeys: Record<string, string[]>,
): Map<string, WrittenRow> {
  const empty = Object.fromEntries(oldTables.map((t) => [t, [] as Row[]]));
  const out = new Map<string, WrittenRow>();
  for (const written of rows) {
    for (const [t, list] of Object.entries(transform({ ...empty, [written.table]: [written.row] }))) {
      for (const r of list) out.set(`${t} ${keyText(newKeys[t] ?? [], r)}`, written);
    }
  }
  return out;
}

const show = (value: unknown) => JSON.stringify(value) ?? 'undefined';

/**
 * Compares the rows after a migration with the expected ones, table by table and row by row (by primary
 * key), skipping rows whose last write is uncertain, and sorts each difference into a fault: a row the
 * writer wrote that is missing or differs is a lost (or untransformed) acknowledged write.
 */
export function checkLiveRows(options: {
  expected: TableRows;
  actual: TableRows;
  keys: Record<string, string[]>;
  written: ReadonlyMap<string, WrittenRow>;
  uncertain: ReadonlyMap<string, WrittenRow>;
  /** Appended to an example of a written row (say, when it was written). */
  note?: (written: WrittenRow) => string;
}): RowFaults {
  const faults: RowFaults = {};
  const add = (fault: string, example: string) => {
    const entry = faults[fault] ?? { count: 0, examples: [] };
    faults[fault] = entry;
    entry.count += 1;
    if (entry.examples.length < 3) entry.examples.push(example);
  };
  const tables = new Set([...Object.keys(options.expected), ...Object.keys(options.actual)]);
  for (const table of [...tables].sort()) {
    const key = options.keys[table] ?? [];
    const index = (rows: Row[] | undefined) => new Map((rows ?? []).map((r) => [keyText(key, r), r]));
    const expected = index(options.expected[table]);
    const actual = index(options.actual[table]);
    for (const id of new Set([...expected.keys(), ...actual.keys()])) {
      const where = `${table} ${id}`;
      if (options.uncertain.has(where)) continue;
      const wrote = options.written.get(where);
      const note = wrote && options.note ? ` ${options.note(wrote)}` : '';
      const want = expected.get(id);
      const got = actual.get(id);
      if (want && !got) {
        add(
          wrote ? 'acknowledged write lost: row missing' : 'row missing (not written meanwhile)',
          where + note,
        );
      } else if (!want && got) {
        add(
          wrote ? 'acknowledged delete lost: row still there' : 'unexpected row',
          `${where} ${show(got)}${note}`,
        );
      } else if (want && got && !isDeepStrictEqual(want, got)) {
        const columns = [...new Set([...Object.keys(want), ...Object.keys(got)])]
          .filter((c) => !isDeepStrictEqual(want[c], got[c]))
          .map((c) => `${c}: expected ${show(want[c])}, got ${show(got[c])}`);
        add(
          wrote
            ? 'acknowledged write lost or left untransformed'
            : 'row not transformed (not written meanwhile)',
          `${where} ${columns.join('; ')}${note}`,
        );
      }
    }
  }
  return faults;
}
