import { type ColumnDefinitionBuilder, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectModule } from './dialect-module.ts';

/** The Kysely data type expression of a column (generated type names, or the verbatim override). */
export const dataType = (module: DialectModule, spec: Pick<ColumnSpec, 'type' | 'sqlType'>) =>
  sql.raw(module.columnType(spec));

/** The column-definition callback for a spec: NOT NULL and a constant DEFAULT. */
export function defineColumn(
  module: DialectModule,
  spec: ColumnSpec,
  options: { forceNullable?: boolean } = {},
) {
  return (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => {
    let col = c;
    if (spec.default !== undefined && spec.default !== null) {
      col = col.defaultTo(module.defaultExpression(spec, spec.default));
    }
    if (!spec.nullable && !options.forceNullable) col = col.notNull();
    return col;
  };
}
