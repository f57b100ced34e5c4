import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { baseStepHooks } from '../shared/base-step-hooks.ts';
import { compileRenameColumn, ddl } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { enumValuesOf } from '../shared/enum-check.ts';
import { primaryKeyName } from '../shared/sql-fragments.ts';
import { compileWithHooks, type StepHook, type StepHooks } from '../shared/step-hooks.ts';
import { alterPostgresColumnType, dropPostgresNotNull, setPostgresNotNull } from './postgres-alter-column.ts';
import {
  compilePostgresAddColumn,
  compilePostgresValidateEnumCheck,
  renameEnumCheck,
} from './postgres-enum-check.ts';
import { compilePostgresIdentity } from './postgres-identity.ts';
import {
  addPostgresForeignKey,
  createPostgresIndex,
  dropPostgresIndex,
  validatePostgresForeignKey,
} from './postgres-online-ddl.ts';

/** Keeps an enum's CHECK named after its column, as evolve creates it (later steps drop it by name). */
const renameColumn: StepHook<'renameColumn'> = (step, context) => {
  const [renamed] = compileRenameColumn(step, context) as [CompiledStep];
  const column = columnOfTable(tableOf(context.state, step.table, step), step.column, step);
  const renames = enumValuesOf(column.spec)
    ? [renameEnumCheck(context, step.table, [step.table, step.column], [step.table, step.to])]
    : [];
  return [{ ...renamed, statements: [...renamed.statements, ...renames] }];
};

/** Keeps the primary key and enum CHECKs named after their table, as evolve creates them. */
const renameTable: StepHook<'renameTable'> = (step, context) => {
  const { module, state } = context;
  const table = tableOf(state, step.table, step);
  const checks = table.columns
    .filter((c) => enumValuesOf(c.spec))
    .map((c) => renameEnumCheck(context, step.to, [step.table, c.name], [step.to, c.name]));
  const alter = (name: string) => module.db.schema.alterTable(name);
  return [
    ddl(
      `rename table ${step.table} to ${step.to}`,
      [
        alter(step.table).renameTo(step.to).compile(),
        alter(step.to).renameConstraint(primaryKeyName(step.table), primaryKeyName(step.to)).compile(),
        ...checks,
      ],
      { path: table.model },
    ),
  ];
};

/**
 * PostgreSQL's hooks: transactional DDL with the non-blocking forms on tables that already hold rows —
 * CREATE INDEX CONCURRENTLY (outside a transaction), foreign keys and NOT NULL through NOT VALID
 * constraints validated in their own step. Tables created by the same migration are empty and get the
 * plain forms.
 */
export const postgresStepHooks: StepHooks = {
  ...baseStepHooks,
  addColumn: compilePostgresAddColumn,
  renameColumn,
  renameTable,
  alterColumnType: alterPostgresColumnType,
  setNotNull: setPostgresNotNull,
  dropNotNull: dropPostgresNotNull,
  createIndex: createPostgresIndex,
  dropIndex: dropPostgresIndex,
  addForeignKey: addPostgresForeignKey,
  validateForeignKey: validatePostgresForeignKey,
  validateEnumCheck: compilePostgresValidateEnumCheck,
  addIdentity: compilePostgresIdentity,
  dropIdentity: compilePostgresIdentity,
};

/**
 * Compiles one step with `postgresStepHooks`; the DDL of a transactional step first bounds its lock wait
 * (`set local lock_timeout`) instead of queueing every query behind it.
 *
 * @example
 * compilePostgresStep(addColumn('User', 'email', { type: { kind: 'string' }, nullable: true }), context);
 */
export function compilePostgresStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  const steps = compileWithHooks(postgresStepHooks, step, context);
  const ms = Math.max(1, Math.round(context.lockTimeoutMs));
  const timeout = sql`set local lock_timeout = ${sql.lit(`${ms}ms`)}`.compile(context.module.db);
  return steps.map((s) =>
    s.transactional && s.statements.length > 0 && step.kind !== 'rawSql'
      ? { ...s, statements: [timeout, ...s.statements] }
      : s,
  );
}
