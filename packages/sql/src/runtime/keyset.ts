import { type RawBuilder, sql } from 'kysely';

/** A key tuple: one value per key column, in key order. */
export type KeyTuple = readonly unknown[];

/**
 * `key > after` in keyset order. With row values: `(a, b) > (x, y)`; without, the expanded
 * lexicographic form `a >= x and (a > x or (a = x and b > y))`, which every dialect's range optimizer serves.
 */
export function keyAfter(
  columns: readonly string[],
  values: KeyTuple,
  options: { rowValues: boolean },
): RawBuilder<boolean> {
  return compare(columns, values, '>', options.rowValues);
}

/** `key <= upTo` in keyset order (the inclusive end of a batch's range). */
export function keyAtMost(
  columns: readonly string[],
  values: KeyTuple,
  options: { rowValues: boolean },
): RawBuilder<boolean> {
  return compare(columns, values, '<=', options.rowValues);
}

/**
 * `first <= key <= last` in keyset order, the columns qualified by `alias` when given: bounds a batch write
 * to its key range, so that the planner scans the range instead of the whole table (a hash join over
 * a sequential scan, once the planner knows the batch's size).
 */
export function keyWithin(
  columns: readonly string[],
  range: { first: KeyTuple; last: KeyTuple },
  options: { rowValues: boolean; alias?: string },
): RawBuilder<boolean> {
  const { rowValues, alias } = options;
  const low = compare(columns, range.first, '>=', rowValues, alias);
  return sql<boolean>`${low} and ${compare(columns, range.last, '<=', rowValues, alias)}`;
}

function compare(
  columns: readonly string[],
  values: KeyTuple,
  op: '>' | '>=' | '<=',
  rowValues: boolean,
  alias?: string,
): RawBuilder<boolean> {
  const refs = columns.map((c) => (alias ? sql`${sql.id(alias)}.${sql.id(c)}` : sql.ref(c)));
  const vals = values.map((v) => sql`${v}`);
  if (refs.length === 1) return sql<boolean>`${refs[0]} ${sql.raw(op)} ${vals[0]}`;
  if (rowValues) {
    return sql<boolean>`(${sql.join(refs)}) ${sql.raw(op)} (${sql.join(vals)})`;
  }
  const strict = op === '<=' ? '<' : '>';
  const lexicographic = (i: number): RawBuilder<unknown> =>
    i === refs.length - 1
      ? sql`${refs[i]} ${sql.raw(op)} ${vals[i]}`
      : sql`(${refs[i]} ${sql.raw(strict)} ${vals[i]} or (${refs[i]} = ${vals[i]} and ${lexicographic(i + 1)}))`;
  const prefix = op === '<=' ? '<=' : '>=';
  return sql<boolean>`(${refs[0]} ${sql.raw(prefix)} ${vals[0]} and ${lexicographic(0)})`;
}

/** `key in (...)` for a list of key tuples (row values where the dialect serves them, else `or` of `and`s). */
export function keyIn(
  key: readonly string[],
  tuples: readonly KeyTuple[],
  rowValues: boolean,
): RawBuilder<boolean> {
  if (key.length === 1) {
    return sql<boolean>`${sql.ref(key[0] as string)} in (${sql.join(tuples.map((t) => sql`${t[0]}`))})`;
  }
  const tuple = (t: KeyTuple) => sql`(${sql.join(t.map((v) => sql`${v}`))})`;
  if (rowValues) {
    return sql<boolean>`(${sql.join(key.map((k) => sql.ref(k)))}) in (${sql.join(tuples.map(tuple))})`;
  }
  const one = (t: KeyTuple) =>
    sql`(${sql.join(
      key.map((k, i) => sql`${sql.ref(k)} = ${t[i]}`),
      sql` and `,
    )})`;
  return sql<boolean>`(${sql.join(tuples.map(one), sql` or `)})`;
}

/**
 * ` and <key within the batch's range>` for a batch write on the table aliased `t` (or `where ...` when
 * `lead` says so); empty when the batch carries no range.
 */
export function within(
  batch: { key: readonly string[]; range?: { first: KeyTuple; last: KeyTuple } | undefined },
  rowValues: boolean,
  lead: 'and' | 'where' = 'and',
): RawBuilder<unknown> {
  if (!batch.range) return sql``;
  return sql` ${sql.raw(lead)} ${keyWithin(batch.key, batch.range, { rowValues, alias: 't' })}`;
}
