import { type Expression, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { JsonMove } from '../shared/dialect-capabilities.ts';
import { jsonPath } from '../shared/sql-fragments.ts';
import { valueKind } from '../shared/value-kind.ts';

/** Moves a JSON value with SQLite's JSON functions (`->` keeps JSON values JSON); missing values are left alone. */
export function sqliteMoveJson(move: JsonMove, target: ColumnSpec): Expression<unknown> {
  const from = sql.ref(move.from.column);
  const to = sql.ref(move.to.column);
  if (move.from.path.length > 0 && move.to.path.length > 0) {
    const fp = jsonPath(move.from.path);
    const base =
      move.from.column === move.to.column ? sql`json_remove(${to}, ${fp})` : sql`coalesce(${to}, '{}')`;
    return sql`case when json_type(${from}, ${fp}) is not null then json_set(${base}, ${jsonPath(move.to.path)}, ${from} -> ${fp}) else ${to} end`;
  }
  if (move.from.path.length > 0) {
    const fp = jsonPath(move.from.path);
    return valueKind(target.type) === 'json' ? sql`${from} -> ${fp}` : sql`${from} ->> ${fp}`;
  }
  return sql`case when ${from} is null then ${to} else json_set(coalesce(${to}, '{}'), ${jsonPath(move.to.path)}, ${from}) end`;
}
