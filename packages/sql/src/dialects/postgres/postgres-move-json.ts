import { type Expression, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { JsonMove } from '../shared/dialect-capabilities.ts';
import { valueKind } from '../shared/value-kind.ts';
import { postgresColumnType } from './postgres-types.ts';

const path = (keys: string[]) => sql`array[${sql.join(keys.map((k) => sql.lit(k)))}]::text[]`;

/** Moves a JSON value with jsonb operators; rows without the source value are left as they are. */
export function postgresMoveJson(move: JsonMove, target: ColumnSpec): Expression<unknown> {
  const from = sql.ref(move.from.column);
  const to = sql.ref(move.to.column);
  if (move.from.path.length > 0 && move.to.path.length > 0) {
    const value = sql`${from} #> ${path(move.from.path)}`;
    const base =
      move.from.column === move.to.column
        ? sql`${to} #- ${path(move.from.path)}`
        : sql`coalesce(${to}, '{}'::jsonb)`;
    return sql`case when ${value} is null then ${to} else jsonb_set(${base}, ${path(move.to.path)}, ${value}, true) end`;
  }
  if (move.from.path.length > 0) {
    if (valueKind(target.type) === 'json') return sql`${from} #> ${path(move.from.path)}`;
    return sql`cast(${from} #>> ${path(move.from.path)} as ${sql.raw(postgresColumnType(target))})`;
  }
  return sql`case when ${from} is null then ${to} else jsonb_set(coalesce(${to}, '{}'::jsonb), ${path(move.to.path)}, to_jsonb(${from}), true) end`;
}
