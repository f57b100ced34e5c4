import type { SqlStep } from '../../steps/sql-step.ts';
import type { DialectCapabilities } from '../shared/dialect-capabilities.ts';
import { enumValuesOf, sameEnumValues } from '../shared/enum-check.ts';
import type { TableState } from '../shared/table-state.ts';

/**
 * Whether a type change leaves the column as SQLite stores it: the same declared type (after the type
 * mapping, e.g. `max(200)` -> `max(300)` is `text` -> `text`). SQLite does not enforce lengths, so such a
 * change has nothing to do. A different declared type (`varchar(100)` -> `varchar(150)` through `sqlType`)
 * is stored in the schema, where drift and other readers see it: it still takes a rebuild.
 */
export function storedAlike(
  step: Extract<SqlStep, { kind: 'alterColumnType' }>,
  table: TableState,
  module: DialectCapabilities,
): boolean {
  const column = table.columns.find((c) => c.name === step.column);
  if (!column) return false;
  return (
    module.canonicalType(module.columnType(column.spec)) === module.canonicalType(module.columnType(step)) &&
    // an enum's values live in the column's CHECK, part of the table's definition
    sameEnumValues(column.spec, step)
  );
}

/** Why a step needs the table rebuilt on SQLite (what ALTER TABLE cannot do), or undefined. */
export function rebuildReason(
  step: SqlStep,
  table: TableState,
  module: DialectCapabilities,
): string | undefined {
  switch (step.kind) {
    case 'dropColumn': {
      // DROP COLUMN refuses key, indexed and foreign-key columns
      const constrained =
        table.primaryKey.includes(step.column) ||
        table.indexes.some((i) => i.columns.includes(step.column)) ||
        table.foreignKeys.some((f) => f.columns.includes(step.column));
      return constrained ? `drop column ${step.column}` : undefined;
    }
    case 'alterColumnType': {
      if (storedAlike(step, table, module)) return undefined;
      const column = table.columns.find((c) => c.name === step.column);
      const sameType = column && module.columnType(column.spec) === module.columnType(step);
      if (!sameType) return `change the type of ${step.column} to ${module.columnType(step)}`;
      const values = enumValuesOf(step);
      return values
        ? `check ${step.column} in (${values.join(', ')})`
        : `drop the enum check of ${step.column}`;
    }
    case 'setNotNull':
      return `set ${step.column} not null`;
    case 'dropNotNull':
      return `drop not null on ${step.column}`;
    case 'setDefault':
      return `set the default of ${step.column}`;
    case 'dropDefault':
      return `drop the default of ${step.column}`;
    case 'addForeignKey':
      return `add foreign key ${step.name}`;
    case 'dropForeignKey':
      return `drop foreign key ${step.name}`;
    case 'changePrimaryKey':
      return `change the primary key to (${step.columns.join(', ')})`;
    default:
      return undefined;
  }
}
