import { EvolveError } from '@evolve/core';
import { type ColumnDefinitionBuilder, type RawBuilder, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { derivedName } from './sql-fragments.ts';

/**
 * Enums are stored as text and enforced by a CHECK constraint `<column> in (<values>)` (a NULL passes it, so a
 * nullable enum column takes NULL). Why a CHECK and not a native type: PostgreSQL's `ALTER TYPE ... ADD VALUE`
 * cannot run inside the migration's transaction and nothing removes a value from a type, while a CHECK is
 * swapped online (dropped and added NOT VALID in one short transaction, validated later without blocking
 * writes); MySQL's ENUM type is a table copy for every change of its values on MariaDB, and compares by
 * position. On MariaDB the CHECK sits in the column definition, unnamed (the server names it after the
 * column): MODIFY COLUMN with a new CHECK is ALGORITHM=INSTANT, where ADD CONSTRAINT ... CHECK only knows
 * ALGORITHM=COPY (bench/mysql-enum-check.bench.ts: 0.5-2.4 s on 100 000 rows, 1.7 s on 400 000, the
 * application's writes blocked throughout, against 5-17 ms whatever the size). An instant change does not
 * read the rows, so evolve verifies them itself (`validateEnumCheck`).
 */

/** The values an enum column holds, or undefined for any other column. */
export function enumValuesOf(spec: Pick<ColumnSpec, 'type'>): readonly string[] | undefined {
  return spec.type.kind === 'enum' ? spec.type.values : undefined;
}

/** The name of evolve's CHECK on an enum column (`orders_status_enum`), within every identifier limit. */
export const enumCheckName = (table: string, column: string): string => derivedName(table, column, 'enum');

/**
 * `"status" in ('new', 'active')`: the condition an enum column's CHECK holds its values to, compared byte for
 * byte (`binary` where the column's collation would let `'Active'` or `'active '` pass).
 */
export function enumCheckCondition(
  module: DialectCapabilities,
  column: string,
  values: readonly string[],
): RawBuilder<unknown> {
  if (values.length === 0) {
    throw new EvolveError('INVALID_MIGRATION', `the enum column ${column} has no values to check against`, {
      path: column,
    });
  }
  const exact = module.collatedTextComparison ? sql`binary ` : sql``;
  return sql`${exact}${sql.id(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/** Whether two column specs hold the same enum values (in any order), or are both not enums. */
export function sameEnumValues(a: Pick<ColumnSpec, 'type'>, b: Pick<ColumnSpec, 'type'>): boolean {
  const x = enumValuesOf(a);
  const y = enumValuesOf(b);
  if (!x || !y) return x === y;
  return x.length === y.length && x.every((v) => y.includes(v)) && y.every((v) => x.includes(v));
}

/**
 * The column-definition modifier that declares an enum column's CHECK in its definition (nothing for
 * other columns): named by evolve where the dialect takes a named column constraint, else unnamed.
 */
export function enumColumnCheck(
  module: DialectCapabilities,
  spec: Pick<ColumnSpec, 'type'>,
  at: { table: string; column: string },
): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  const values = enumValuesOf(spec);
  if (!values) return (c) => c;
  const condition = enumCheckCondition(module, at.column, values);
  if (!module.namedColumnChecks) return (c) => c.check(condition);
  const name = enumCheckName(at.table, at.column);
  return (c) => c.modifyEnd(sql`constraint ${sql.id(name)} check (${condition})`);
}
