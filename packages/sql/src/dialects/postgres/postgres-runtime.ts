import { type RawBuilder, sql } from 'kysely';
import { jsonForObjects, jsonText } from '../../runtime/json-param.ts';
import { keyAfter, within } from '../../runtime/keyset.ts';
import { isSocketLost } from '../../runtime/socket-errors.ts';
import type { BatchWrite, DialectCapabilities } from '../shared/dialect-capabilities.ts';
import {
  clearPostgresInterrupted,
  confirmPostgresApplied,
  isPostgresAlreadyApplied,
} from './postgres-confirm-applied.ts';
import { postgresLockWait } from './postgres-lock-wait.ts';

/**
 * Connection exceptions (class 08, PgBouncer's among them) and a terminated or shutting-down backend
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now).
 */
const CONNECTION_LOST_CODE = /^(08[0-9A-Z]{3}|57P0[1-3])$/;
/** node-postgres's own errors for a client whose socket ended. */
const CONNECTION_LOST_MESSAGE = /^Connection terminated|is not queryable/;

/**
 * PostgreSQL (and PGlite): transactional DDL, and batch writes through `json_populate_recordset`, which
 * takes the table's own column types so that one JSON parameter carries a whole batch; a TS batch without
 * change log reads unlocked and writes only the rows whose `xmin` is still the one it read. Nothing session-level:
 * batch settings are `SET LOCAL`, so the runner works through PgBouncer in transaction pooling mode.
 */
export const postgresRuntime = {
  supportsForUpdate: true,
  readsAheadDuringPause: true,
  supportsUpdateReturning: true,
  supportsRowValueComparison: true,
  nowMs: sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`,
  async beginBatch(trx, { lockTimeoutMs }) {
    const timeout = `${Math.max(1, Math.round(lockTimeoutMs))}ms`;
    await sql`select set_config('lock_timeout', ${timeout}, true), set_config('synchronous_commit', 'off', true)`.execute(
      trx,
    );
  },
  async guardSession() {
    return async () => {};
  },
  async updateKeyRange(trx, range) {
    const keys = sql.join(range.key.map((k) => sql.id(k)));
    const after = range.after ? sql`where ${keyAfter(range.key, range.after, { rowValues: true })}` : sql``;
    const afterAnd = range.after ? sql`${keyAfter(range.key, range.after, { rowValues: true })} and` : sql``;
    const assignments = sql.join(
      Object.entries(range.set).map(([column, value]) => sql`${sql.id(column)} = ${value}`),
    );
    const { rows } = await sql<Record<string, unknown>>`
      with evolve_end as (
        select ${keys} from ${sql.table(range.table)} ${after} order by ${keys} offset ${range.limit - 1} limit 1
      ), evolve_updated as (
        update ${sql.table(range.table)} set ${assignments}
        where ${afterAnd} (${keys}) <= (select ${keys} from evolve_end)
        returning 1
      )
      select ${keys}, (select count(*) from evolve_updated) as evolve_rows from evolve_end`.execute(trx);
    const row = rows[0];
    if (!row) return undefined;
    return { end: range.key.map((k) => row[k]), rows: Number(row.evolve_rows) };
  },
  ...postgresLockWait,
  isAlreadyApplied: isPostgresAlreadyApplied,
  confirmApplied: confirmPostgresApplied,
  clearInterrupted: clearPostgresInterrupted,
  isMissingTable(error) {
    return (error as { code?: unknown } | null)?.code === '42P01';
  },
  isConnectionLost(error) {
    const e = error as { code?: unknown; message?: unknown } | null;
    if (typeof e?.code === 'string' && CONNECTION_LOST_CODE.test(e.code)) return true;
    return isSocketLost(error) || (typeof e?.message === 'string' && CONNECTION_LOST_MESSAGE.test(e.message));
  },
  async estimateRows(conn, table) {
    const { rows } = await sql<{ n: string | number | null }>`
      select reltuples::bigint as n from pg_class where oid = to_regclass(${quoted(table)})`.execute(conn);
    const estimate = Number(rows[0]?.n ?? -1);
    if (estimate >= 0) return estimate;
    const counted = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(
      conn,
    );
    return Number(counted.rows[0]?.n ?? 0);
  },
  toParam: jsonForObjects,
  // the transaction that wrote the row's current version: a write of the row makes a new one
  rowVersion: sql<string>`xmin::text`,
  async columnTypes(executor, table, columns) {
    const { rows } = await sql<{ name: string; type: string }>`
      select a.attname as name, format_type(a.atttypid, null) as type from pg_attribute a
      where a.attrelid = to_regclass(${quoted(table)}) and a.attnum > 0 and not a.attisdropped
        and a.attname = any(${[...columns]}::text[])`.execute(executor);
    return Object.fromEntries(rows.filter((r) => ARRAY_SCALARS.has(r.type)).map((r) => [r.name, r.type]));
  },
  writeBatch(batch) {
    const typed = typedArrays(batch);
    if (typed) return typed;
    const objects = batch.rows.map((row) => {
      const entry: Record<string, unknown> = {};
      batch.key.forEach((k, i) => {
        entry[k] = row[i];
      });
      batch.columns.forEach((c, i) => {
        entry[c] = row[batch.key.length + i] ?? null;
      });
      return entry;
    });
    const rows = sql`json_populate_recordset(null::${sql.table(batch.table)}, ${jsonText(objects)}::json)`;
    if (!batch.versions) return updateFrom(batch, rows, (column) => column);
    // Each row beside its version, read as it was (ROWS FROM zips the two lists); the versions come
    // first, so a one-name alias list names just their column and the table's columns keep their names.
    return updateFrom(
      batch,
      sql`rows from (unnest(${arrayLiteral(batch.versions)}::xid[]), ${rows})`,
      (column) => column,
      VERSION_COLUMN,
      sql.id(VERSION_COLUMN),
    );
  },
} satisfies Partial<DialectCapabilities>;

/** The name of the version read beside each row of a batch's source (`v`). */
const VERSION_COLUMN = 'evolve_version';

/**
 * Types whose values a batch binds as arrays of text, each element converted by the type's input
 * function: no modifiers (a varchar's length is checked on assignment, never truncated by a cast).
 */
const ARRAY_SCALARS = new Set([
  'integer',
  'bigint',
  'smallint',
  'text',
  'character varying',
  'boolean',
  'numeric',
  'double precision',
  'real',
  'uuid',
]);

/**
 * A batch as one typed array per column, `unnest`ed into rows (cheaper for the server to read than JSON),
 * where every column has a type from `columnTypes` and every value is a plain scalar; else undefined.
 */
function typedArrays(batch: BatchWrite): RawBuilder<unknown> | undefined {
  const types = batch.types;
  const columns = [...batch.key, ...batch.columns];
  if (!types || !columns.every((c) => types[c] !== undefined)) return undefined;
  for (const row of batch.rows) {
    for (const value of row) {
      const kind = typeof value;
      if (
        value !== null &&
        value !== undefined &&
        kind !== 'string' &&
        kind !== 'number' &&
        kind !== 'boolean' &&
        kind !== 'bigint'
      )
        return undefined;
    }
  }
  const arrays = columns.map((c, i) => {
    const literal = arrayLiteral(batch.rows.map((row) => row[i]));
    return sql`${literal}::${sql.raw(types[c] as string)}[]`;
  });
  const names = columns.map((_, i) => sql.id(`c${i}`));
  const versions = batch.versions ? sql`, ${arrayLiteral(batch.versions)}::xid[]` : sql``;
  const alias = sql.join(batch.versions ? [...names, sql.id(VERSION_COLUMN)] : names);
  return updateFrom(
    batch,
    sql`unnest(${sql.join(arrays)}${versions})`,
    (_, i) => `c${i}`,
    batch.versions ? VERSION_COLUMN : undefined,
    alias,
  );
}

/**
 * One column's values as the text of a PostgreSQL array, bound as a single parameter and cast to the
 * column's array type: NULL for null, numbers as they print (no character the array syntax reserves),
 * anything else double-quoted with `\\` and `"` escaped, so every string arrives as written (`NULL`,
 * braces, commas and spaces included). The driver's own array encoding quotes and escapes every element
 * with two regular expressions; with thousands of elements per batch that was a measurable part of it.
 *
 * @example
 * arrayLiteral([1, null, 'a "b"', true]) // '{1,NULL,"a \\"b\\"","true"}'
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) text += ',';
    if (value === null || value === undefined) text += 'NULL';
    else if (typeof value === 'number' || typeof value === 'bigint') text += String(value);
    else {
      const s = String(value);
      text += `"${s.includes('"') || s.includes('\\') ? s.replace(/["\\]/g, '\\$&') : s}"`;
    }
  }
  return `${text}}`;
}

/**
 * The batch's UPDATE from a source of rows named `v`: each written column from the source's column for
 * it (`coalesce`d where only NULLs are filled), matched by key, within the batch's key range, and with
 * `version` (a column of the source) only the rows whose `xmin` is still the version read.
 */
function updateFrom(
  batch: BatchWrite,
  source: RawBuilder<unknown>,
  sourceColumn: (column: string, index: number) => string,
  version?: string,
  alias?: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const v = (column: string, index: number) => sql`v.${sql.id(sourceColumn(column, index))}`;
  const assignments = sql.join(
    batch.columns.map((c, i) => {
      const value = v(c, batch.key.length + i);
      return batch.onlyNull?.has(c)
        ? sql`${sql.id(c)} = coalesce(t.${sql.id(c)}, ${value})`
        : sql`${sql.id(c)} = ${value}`;
    }),
  );
  const match = sql.join(
    batch.key.map((k, i) => sql`t.${sql.id(k)} = ${v(k, i)}`),
    sql` and `,
  );
  const checked = version ? sql` and t.xmin = v.${sql.id(version)}` : sql``;
  const named = alias ? sql`v(${alias})` : sql`v`;
  return sql`update ${sql.table(batch.table)} as t set ${assignments}
    from ${source} as ${named}
    where ${match}${checked}${within(batch, true)}`;
}

/** `schema.table` as quoted identifiers, for to_regclass. */
function quoted(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}
