import { EvolveError } from '@evolve/core';
import type { ColumnSpec, SqlStep } from '../../steps/sql-step.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';

/** An unbounded string column (no `.max()`, no `sqlType`): longtext on MySQL/MariaDB. */
const isLongtext = (spec: ColumnSpec | undefined) =>
  spec !== undefined &&
  spec.sqlType === undefined &&
  spec.type.kind === 'string' &&
  spec.type.unbounded === true;

/**
 * Refuses a step that would put an unbounded string (longtext) into a key or an index on MySQL/MariaDB:
 * InnoDB indexes hold at most 3072 bytes of a column and cannot index a text column whole, so the server
 * would refuse it halfway through a migration. UNSUPPORTED_CHANGE at `Model.field`, saying what to do.
 *
 * @example
 * assertIndexable(createIndex('users', 'users_bio_idx', { columns: ['bio'], unique: false }), context); // throws
 */
export function assertIndexable(step: SqlStep, context: CompileContext): void {
  const tableName = 'table' in step ? step.table : '';
  const table = context.state.get(tableName);
  const specOf = (column: string) => table?.columns.find((c) => c.name === column)?.spec;
  const fieldOf = (column: string) => table?.columns.find((c) => c.name === column)?.field ?? column;
  const refuse = (model: string, field: string, use: string): never => {
    const path = `${model}.${field}`;
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `${path} is a string without .max(), stored as longtext on MySQL/MariaDB, and ${use}: InnoDB cannot ` +
        'index a text column whole (a key holds at most 3072 bytes, 768 characters of utf8mb4). Give the field ' +
        '.max(n) with n <= 768 (varchar(n)), or an sqlType such as varchar(255)',
      { path, details: { dialect: 'mysql', table: tableName } },
    );
  };
  const check = (columns: readonly string[], use: string, spec = specOf) => {
    for (const column of columns)
      if (isLongtext(spec(column))) refuse(table?.model ?? tableName, fieldOf(column), use);
  };
  switch (step.kind) {
    case 'createTable': {
      for (const column of step.primaryKey) {
        if (isLongtext(step.columns[column])) refuse(step.model, column, 'it is in the primary key');
      }
      return;
    }
    case 'createIndex':
      check(step.columns, step.unique ? `unique index ${step.name} holds it` : `index ${step.name} holds it`);
      return;
    case 'addForeignKey':
      check(step.columns, `foreign key ${step.name} holds it`);
      return;
    case 'changePrimaryKey':
      check(step.columns, 'it becomes the primary key');
      return;
    case 'alterColumnType': {
      if (
        !table ||
        !isLongtext({ type: step.type, nullable: true, ...(step.sqlType ? { sqlType: step.sqlType } : {}) })
      )
        return;
      const keys = [
        ...(table.primaryKey.includes(step.column) ? ['it is in the primary key'] : []),
        ...table.indexes
          .filter((i) => i.columns.includes(step.column))
          .map((i) => `index ${i.name} holds it`),
        ...table.foreignKeys
          .filter((f) => f.columns.includes(step.column))
          .map((f) => `foreign key ${f.name} holds it`),
      ];
      if (keys[0]) refuse(table.model, fieldOf(step.column), keys[0]);
      return;
    }
    default:
      return;
  }
}
