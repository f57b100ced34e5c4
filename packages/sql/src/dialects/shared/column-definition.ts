import { type ColumnDefinitionBuilder, sql } from 'kysely';
import type { ColumnSpec } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { enumColumnCheck } from './enum-check.ts';

/** The Kysely data type expression of a column (generated type names, or the verbatim override). */
export const dataType = (
  module: Pick<DialectCapabilities, 'columnType'>,
  spec: Pick<ColumnSpec, 'type' | 'sqlType'>,
) => sql.raw(module.columnType(spec));

/**
 * The column-definition callback for a spec: NOT NULL, a constant DEFAULT, generation and, given where the column is
 * (`check`), the CHECK that holds an enum column to its values (see `enum-check.ts`).
 */
export function defineColumn(
  module: DialectCapabilities,
  spec: ColumnSpec,
  options: { forceNullable?: boolean; check?: { table: string; column: string } } = {},
) {
  return (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => {
    let col = c;
    if (spec.default !== undefined && spec.default !== null) {
      col = col.defaultTo(module.defaultExpression(spec, spec.default));
    }
    if (!spec.nullable && !options.forceNullable) col = col.notNull();
    if (spec.generated) col = module.generatedColumn(col);
    if (options.check) col = enumColumnCheck(module, spec, options.check)(col);
    return col;
  };
}
