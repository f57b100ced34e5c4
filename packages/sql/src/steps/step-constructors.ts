import { deepFreeze, type JsonValue, type OnDeleteAction, type TypeSnapshot } from '@evolve/core';
import type { BackfillValue, ColumnSpec, ForeignKeySpec, SqlStep } from './sql-step.ts';

type Step<K extends SqlStep['kind']> = Extract<SqlStep, { kind: K }>;

const make = <K extends SqlStep['kind']>(step: Step<K>): Step<K> => deepFreeze(step) as Step<K>;

/**
 * Creates a table (indexes and foreign keys follow as their own steps).
 *
 * @example
 * createTable('users', { model: 'User', primaryKey: ['id'], columns: { id: { type: { kind: 'string', format: 'uuid' }, nullable: false } } })
 */
export function createTable(
  table: string,
  options: { model?: string; columns: Record<string, ColumnSpec>; primaryKey: string[] },
): Step<'createTable'> {
  return make({
    kind: 'createTable',
    table,
    model: options.model ?? table,
    columns: options.columns,
    primaryKey: options.primaryKey,
  });
}

/** Drops a table and its rows (destructive). @example dropTable('legacy_users') */
export const dropTable = (table: string): Step<'dropTable'> => make({ kind: 'dropTable', table });

/** Renames a table. @example renameTable('clients', 'customers') */
export const renameTable = (table: string, to: string): Step<'renameTable'> =>
  make({ kind: 'renameTable', table, to });

/** Adds a column. @example addColumn('User', 'email', { type: { kind: 'string' }, nullable: true }) */
export const addColumn = (table: string, column: string, spec: ColumnSpec): Step<'addColumn'> =>
  make({ kind: 'addColumn', table, column, spec });

/** Drops a column and its data (destructive). @example dropColumn('User', 'legacyId') */
export const dropColumn = (table: string, column: string): Step<'dropColumn'> =>
  make({ kind: 'dropColumn', table, column });

/** Renames a column. @example renameColumn('User', 'name', 'fullName') */
export const renameColumn = (table: string, column: string, to: string): Step<'renameColumn'> =>
  make({ kind: 'renameColumn', table, column, to });

/**
 * Changes a column's type, converting values with the database's cast. `rewrite` says whether the change
 * rewrites the table; `lossy` marks a narrowing conversion (destructive).
 *
 * @example
 * alterColumnType('User', 'age', { type: { kind: 'bigint' }, rewrite: true })
 */
export function alterColumnType(
  table: string,
  column: string,
  options: { type: TypeSnapshot; sqlType?: string; rewrite?: boolean; lossy?: boolean },
): Step<'alterColumnType'> {
  return make({
    kind: 'alterColumnType',
    table,
    column,
    type: options.type,
    ...(options.sqlType !== undefined ? { sqlType: options.sqlType } : {}),
    rewrite: options.rewrite ?? true,
    ...(options.lossy ? { lossy: true } : {}),
  });
}

/** Makes a column NOT NULL (after a backfill of its nulls). @example setNotNull('User', 'email') */
export const setNotNull = (table: string, column: string): Step<'setNotNull'> =>
  make({ kind: 'setNotNull', table, column });

/** Makes a column nullable. @example dropNotNull('User', 'nickname') */
export const dropNotNull = (table: string, column: string): Step<'dropNotNull'> =>
  make({ kind: 'dropNotNull', table, column });

/** Sets a constant column default. @example setDefault('User', 'role', 'member') */
export const setDefault = (table: string, column: string, value: JsonValue): Step<'setDefault'> =>
  make({ kind: 'setDefault', table, column, value });

/** Removes a column default. @example dropDefault('User', 'role') */
export const dropDefault = (table: string, column: string): Step<'dropDefault'> =>
  make({ kind: 'dropDefault', table, column });

/**
 * Creates an index (concurrently where the dialect can).
 *
 * @example
 * createIndex('User', 'User_email_key', { columns: ['email'], unique: true })
 */
export const createIndex = (
  table: string,
  name: string,
  options: { columns: string[]; unique?: boolean },
): Step<'createIndex'> =>
  make({ kind: 'createIndex', table, name, columns: options.columns, unique: options.unique ?? false });

/** Drops an index. @example dropIndex('User', 'User_email_key') */
export const dropIndex = (table: string, name: string): Step<'dropIndex'> =>
  make({ kind: 'dropIndex', table, name });

/**
 * Adds a foreign key (NOT VALID where the dialect allows; `validateForeignKey` checks the rows).
 *
 * @example
 * addForeignKey('Post', 'Post_authorId_fkey', { columns: ['authorId'], references: { table: 'User', columns: ['id'] }, onDelete: 'cascade' })
 */
export const addForeignKey = (
  table: string,
  name: string,
  options: Omit<ForeignKeySpec, 'onDelete'> & { onDelete?: OnDeleteAction },
): Step<'addForeignKey'> =>
  make({
    kind: 'addForeignKey',
    table,
    name,
    columns: options.columns,
    references: options.references,
    onDelete: options.onDelete ?? 'no action',
  });

/** Checks the existing rows against a foreign key added NOT VALID. @example validateForeignKey('Post', 'Post_authorId_fkey') */
export const validateForeignKey = (table: string, name: string): Step<'validateForeignKey'> =>
  make({ kind: 'validateForeignKey', table, name });

/**
 * Checks the existing rows against the CHECK that holds an enum column to its values, once they changed
 * (`alterColumnType` to the new enum swaps the CHECK without reading the rows). With `removed` the step is
 * destructive: the application's writes of those values fail from the swap on.
 *
 * @example
 * validateEnumCheck('customers', 'status', { removed: ['banned'] })
 */
export const validateEnumCheck = (
  table: string,
  column: string,
  options: { removed?: string[] } = {},
): Step<'validateEnumCheck'> =>
  make({
    kind: 'validateEnumCheck',
    table,
    column,
    ...(options.removed && options.removed.length > 0 ? { removed: options.removed } : {}),
  });

/** Drops a foreign key. @example dropForeignKey('Post', 'Post_authorId_fkey') */
export const dropForeignKey = (table: string, name: string): Step<'dropForeignKey'> =>
  make({ kind: 'dropForeignKey', table, name });

/** Replaces a table's primary key. @example changePrimaryKey('Membership', ['userId', 'groupId']) */
export const changePrimaryKey = (table: string, columns: string[]): Step<'changePrimaryKey'> =>
  make({ kind: 'changePrimaryKey', table, columns });

/**
 * Makes an integer key column generated by the database (identity, auto-increment or rowid alias, as the
 * dialect has it); the next row inserted without a key gets one past the largest key already there.
 *
 * @example
 * addIdentity('User', 'id')
 */
export const addIdentity = (table: string, column: string): Step<'addIdentity'> =>
  make({ kind: 'addIdentity', table, column });

/**
 * Stops the database generating a key column (inserts must then give the key); the stored keys stay.
 *
 * @example
 * dropIdentity('User', 'id')
 */
export const dropIdentity = (table: string, column: string): Step<'dropIdentity'> =>
  make({ kind: 'dropIdentity', table, column });

/**
 * Fills columns of existing rows in keyset-paginated batches. Keys are column names; values come from
 * `transform(fieldPath)` (the migration's TS transform for that field), `value(constant)` or
 * `sqlExpression('...')`; wrap a source in `ifNull(...)` to fill only rows where the column is NULL.
 * The table defaults to the model's name.
 *
 * @example
 * backfill('User', { email: transform('email') })
 * backfill('Order', { status: ifNull(value('open')) }, { table: 'orders' })
 */
export const backfill = (
  model: string,
  set: Record<string, BackfillValue>,
  options: { table?: string } = {},
): Step<'backfill'> => make({ kind: 'backfill', model, table: options.table ?? model, set });

/** The migration's TS transform for a field path of the backfilled model. @example transform('email') */
export const transform = (field: string): BackfillValue => ({ transform: field });

/** A constant backfill value. @example value('member') */
export const value = (constant: JsonValue): BackfillValue => ({ value: constant });

/** A SQL expression evaluated per batch (trusted migration code). @example sqlExpression('lower(email)') */
export const sqlExpression = (expression: string): BackfillValue => ({ expression });

/**
 * Moves a value between JSON paths (`column.path`) set-based, with the database's JSON functions.
 *
 * @example
 * backfill('User', { address: moveJson('address.city', 'address.town') })
 */
export const moveJson = (from: string, to: string): BackfillValue => ({ moveJson: { from, to } });

/** Fills only the rows where the column is still NULL. @example ifNull(value(0)) */
export const ifNull = (source: BackfillValue): BackfillValue => ({ ...source, onlyNull: true });

export { rawSql } from '../dialects/shared/raw-sql.ts';
