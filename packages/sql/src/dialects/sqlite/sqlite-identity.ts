import { EvolveError } from '@evolve/core';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { pathOf } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';

type IdentityStep = Extract<SqlStep, { kind: 'addIdentity' | 'dropIdentity' }>;

/**
 * SQLite: a column declared exactly `INTEGER` that is the table's whole primary key is the rowid alias, which
 * SQLite fills with one past the largest key when an insert leaves it out. evolve declares integer and bigint
 * keys `integer`, so such a key already is the alias: making it generated has nothing to run, and neither has
 * stopping it (the alias cannot be switched off short of declaring another type, which would be drift; SQLite
 * goes on filling keys that inserts leave out, see the `integerKeysGenerate` capability). A key that is not
 * the alias (another declared type, or not the whole key) cannot be generated: UNSUPPORTED_CHANGE.
 *
 * @example
 * compileSqliteIdentity(addIdentity('User', 'id'), context); // [] when User.id is the INTEGER key
 */
export function compileSqliteIdentity(step: IdentityStep, { module, state }: CompileContext): CompiledStep[] {
  const table = tableOf(state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  if (step.kind === 'dropIdentity') return [];
  const alias = module.columnType(column.spec) === 'integer' && table.primaryKey.join() === step.column;
  if (!alias) {
    const path = pathOf(table, step.column);
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `${path}: SQLite generates only a key declared INTEGER that is the whole primary key (the rowid alias); ` +
        `${step.table}.${step.column} is ${module.columnType(column.spec)} in key (${table.primaryKey.join(', ')})`,
      { path },
    );
  }
  return [];
}
