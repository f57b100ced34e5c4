import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { baseStepHooks } from '../shared/base-step-hooks.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { compileWithHooks, type StepHooks } from '../shared/step-hooks.ts';
import { algorithmFor } from './mysql-algorithm.ts';
import {
  changeMysqlPrimaryKey,
  createMysqlIndex,
  dropMysqlForeignKey,
  dropMysqlIndex,
} from './mysql-keys.ts';
import {
  alterMysqlColumnType,
  changeMysqlIdentity,
  changeMysqlNullability,
  setMysqlDefault,
} from './mysql-modify-column.ts';
import { assertIndexable } from './unindexable-columns.ts';

/**
 * MySQL / MariaDB hooks: nullability and type changes use MODIFY COLUMN with the whole column definition
 * (a table copy for type changes); InnoDB checks existing rows when a foreign key is added, so there is
 * nothing to validate afterwards.
 */
export const mysqlStepHooks: StepHooks = {
  ...baseStepHooks,
  alterColumnType: alterMysqlColumnType,
  setNotNull: changeMysqlNullability,
  dropNotNull: changeMysqlNullability,
  setDefault: setMysqlDefault,
  dropDefault: setMysqlDefault,
  createIndex: createMysqlIndex,
  dropIndex: dropMysqlIndex,
  dropForeignKey: dropMysqlForeignKey,
  changePrimaryKey: changeMysqlPrimaryKey,
  addIdentity: changeMysqlIdentity,
  dropIdentity: changeMysqlIdentity,
};

/**
 * MySQL / MariaDB: DDL commits implicitly, so each step stands alone. Work on tables that hold rows names
 * its algorithm (see `algorithmFor`; secondary indexes are built INPLACE without locks).
 *
 * @example
 * compileMysqlStep(addColumn('User', 'email', { type: { kind: 'string' }, nullable: true }), context);
 */
export function compileMysqlStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  assertIndexable(step, context);
  const compiled = compileWithHooks(mysqlStepHooks, step, context);
  const clause = algorithmFor(step, context);
  if (!clause) return compiled;
  const db = context.module.db;
  return compiled.map((s) => ({
    ...s,
    // DDL carries its values inline (no parameters), so the compiled text can take the clause
    statements: s.statements.map((q) =>
      q.parameters.length === 0 ? sql`${sql.raw(q.sql)}, ${sql.raw(clause)}`.compile(db) : q,
    ),
  }));
}
