import { type Expression, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { JsonMove } from '../shared/dialect-capabilities.ts';
import { jsonPath } from '../shared/sql-fragments.ts';
import { valueKind } from '../shared/value-kind.ts';

/** Moves a JSON value with MySQL/MariaDB JSON functions; rows without the source value are left alone. */
export function mysqlMoveJson(move: JsonMove, target: ColumnSpec): Expression<unknown> {
  const from = sql.ref(move.from.column);
  const to = sql.ref(move.to.column);
  if (move.from.path.length > 0 && move.to.path.length > 0) {
    const fp = jsonPath(move.from.path);
    const base =
      move.from.column === move.to.column
        ? sql`json_remove(${to}, ${fp})`
        : sql`coalesce(${to}, json_object())`;
    return sql`case when json_contains_path(${from}, 'one', ${fp}) then json_set(${base}, ${jsonPath(move.to.path)}, json_extract(${from}, ${fp})) else ${to} end`;
  }
  if (move.from.path.length > 0) {
    const value = sql`json_extract(${from}, ${jsonPath(move.from.path)})`;
    if (valueKind(target.type) === 'json') return value;
    return sql`case when ${value} is null or json_type(${value}) = 'NULL' then null else json_unquote(${value}) end`;
  }
  return sql`case when ${from} is null then ${to} else json_set(coalesce(${to}, json_object()), ${jsonPath(move.to.path)}, ${from}) end`;
}
