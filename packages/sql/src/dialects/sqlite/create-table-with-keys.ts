import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { createTableQuery, ddl } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import type { ColumnState, ForeignKeyState } from '../shared/table-state.ts';

/**
 * A new table and the foreign keys the same migration adds to it, as one CREATE TABLE with the keys inline:
 * SQLite cannot add a key to an existing table without rebuilding it, and a table this migration creates
 * needs no rebuild to get its keys (`gatherRebuilds` puts them right after the CREATE). Returns undefined
 * unless `steps` starts with a createTable followed by an addForeignKey on that table.
 *
 * @example
 * const id = { type: { kind: 'number', integer: true }, nullable: false } as const;
 * const orders = createTable('orders', { columns: { id, customerId: id }, primaryKey: ['id'] });
 * const key = addForeignKey('orders', 'orders_customerId_fkey', {
 *   columns: ['customerId'],
 *   references: { table: 'customers', columns: ['id'] },
 * });
 * createTableWithKeys([orders, key], context);
 * // one step: create table "orders" (..., constraint "orders_customerId_fkey" foreign key ...)
 */
export function createTableWithKeys(
  steps: readonly SqlStep[],
  context: CompileContext,
): { compiled: CompiledStep[]; consumed: number } | undefined {
  const [create] = steps;
  if (create?.kind !== 'createTable') return undefined;
  const foreignKeys: ForeignKeyState[] = [];
  let consumed = 1;
  for (const step of steps.slice(1)) {
    if (step.kind === 'addForeignKey' && step.table === create.table) {
      const { kind: _, table: __, ...key } = step;
      foreignKeys.push(key);
    } else if (!(step.kind === 'validateForeignKey' && step.table === create.table)) break;
    consumed += 1;
  }
  if (foreignKeys.length === 0) return undefined;
  const columns: ColumnState[] = Object.entries(create.columns).map(([name, spec]) => ({ name, spec }));
  const query = createTableQuery(
    context.module,
    { name: create.table, columns, primaryKey: create.primaryKey, foreignKeys },
    { foreignKeys: true },
  );
  const keys = foreignKeys.map((k) => k.name).join(', ');
  return {
    compiled: [ddl(`create table ${create.table} with foreign key ${keys}`, [query], { path: create.model })],
    consumed,
  };
}
