import type { JsonValue, Row, TypeSnapshot } from '@evolve/core';
import type { LiveColumn, LiveTable } from './live-writer-plan.ts';

/** Draws unique integers: every id and every generated value takes its own, so unique columns stay unique. */
export type Counter = () => number;

/** A counter starting at `start`. */
export function counterFrom(start: number): Counter {
  let next = start;
  return () => next++;
}

const fit = (text: string, maxLength: number | undefined) =>
  maxLength !== undefined && text.length > maxLength ? text.slice(text.length - maxLength) : text;

/**
 * A value of `type` derived from `seed`. Strings are the seed's digits (so a transform that parses a
 * string as a number still works on them), cut to the maximum length from the left.
 */
export function typedValue(type: TypeSnapshot, seed: number): JsonValue {
  switch (type.kind) {
    case 'string':
      if (type.format === 'email') return fit(`u${seed}@example.com`, type.maxLength);
      if (type.format === 'url') return `https://example.com/${seed}`;
      if (type.format === 'uuid')
        return `00000000-0000-4000-8000-${String(seed).padStart(12, '0').slice(-12)}`;
      if (type.format === 'datetime') return new Date(Date.UTC(2020, 0, 1) + seed * 1000).toISOString();
      return fit(String(seed), type.maxLength);
    case 'number':
      return type.integer ? seed : seed + 0.5;
    case 'boolean':
      return seed % 2 === 0;
    case 'enum':
      return type.values[seed % type.values.length] ?? null;
    case 'literal':
      return type.value;
    case 'object':
      return Object.fromEntries(
        Object.entries(type.fields).map(([name, field], i) => [name, typedValue(field.type, seed + i)]),
      );
    case 'array':
      return [typedValue(type.element.type, seed)];
    case 'json':
      return { n: seed };
    default:
      throw new Error(`live writer: no value generator for ${type.kind} columns`);
  }
}

/** A value the old application writes into `column`: from its pool (a foreign key), sometimes null. */
export function columnValue(column: LiveColumn, next: Counter): JsonValue {
  const seed = next();
  if (column.nullable && seed % 4 === 0) return null;
  if (column.pool && column.pool.length > 0) return column.pool[seed % column.pool.length] ?? null;
  return typedValue(column.type, seed);
}

/** A whole new row of `table`, as the old application inserts it (every column it knows). */
export function newRow(table: LiveTable, next: Counter): Row {
  return Object.fromEntries(
    table.columns.map((c) => [
      c.column,
      table.key.includes(c.column) && !c.pool ? typedValue(c.type, next()) : columnValue(c, next),
    ]),
  );
}

/** The value as a driver binds it: JSON text for objects and arrays, 0/1 for SQLite booleans. */
export function toDriverValue(value: JsonValue | undefined, dialect: string): unknown {
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean' && dialect === 'sqlite') return value ? 1 : 0;
  return value;
}

/** A row as a driver binds it. */
export const toDriverRow = (row: Row, dialect: string): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toDriverValue(v as JsonValue, dialect)]));

/** A value read back, in the shape the application wrote it (JSON parsed, booleans from 0/1). */
export function fromDriverValue(value: unknown, type: TypeSnapshot | undefined): unknown {
  if (!type || value === null || value === undefined) return value;
  const structured = type.kind === 'object' || type.kind === 'array' || type.kind === 'json';
  if (structured && typeof value === 'string') return JSON.parse(value);
  if (type.kind === 'boolean' && typeof value === 'number') return value !== 0;
  return value;
}
