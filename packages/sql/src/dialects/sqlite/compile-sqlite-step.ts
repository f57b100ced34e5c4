import type { JsonValue } from '@evolve/core';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { applyStep, tableOf } from '../shared/apply-step.ts';
import { baseStepHooks, unsupportedStep } from '../shared/base-step-hooks.ts';
import { ddl } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { compileWithHooks, type StepHook, type StepHooks } from '../shared/step-hooks.ts';
import { cloneTable, type SchemaState, type TableState } from '../shared/table-state.ts';
import { createTableWithKeys } from './create-table-with-keys.ts';
import { rebuildReason } from './rebuild-reason.ts';
import { rebuildTable } from './rebuild-table.ts';
import { compileSqliteIdentity } from './sqlite-identity.ts';

/** Fills of a backfill that only writes constants into NULLs (the copy of a rebuild can do them). */
function constantFills(step: SqlStep): Record<string, JsonValue> | undefined {
  if (step.kind !== 'backfill') return undefined;
  const fills: Record<string, JsonValue> = {};
  for (const [column, source] of Object.entries(step.set)) {
    if (!('value' in source) || !source.onlyNull) return undefined;
    fills[column] = source.value;
  }
  return fills;
}

/**
 * Consecutive steps that each need a rebuild of the same table become one rebuild (one copy of the rows);
 * a backfill between them that only fills NULLs with constants is folded into the copy (COALESCE), and a
 * key validation between them (nothing to run on SQLite) does not split them. `gatherRebuilds` puts a
 * table's rebuild steps next to each other first.
 * Returns undefined when no leading step needs a rebuild.
 */
export function compileSqliteRun(
  steps: readonly SqlStep[],
  context: CompileContext,
): { compiled: CompiledStep[]; consumed: number } | undefined {
  const first = steps[0];
  if (first?.kind === 'createTable') return createTableWithKeys(steps, context);
  if (!first || !('table' in first)) return undefined;
  const table = context.state.get(first.table);
  if (!table) return undefined;
  // the common case, a step ALTER can do, needs no scratch copy of the table
  if (!constantFills(first) && !rebuildReason(first, table, context.module)) return undefined;
  const scratch: SchemaState = new Map([[table.name, cloneTable(table)]]);
  const run: (SqlStep & { table: string })[] = [];
  const reasons: string[] = [];
  const fills: Record<string, JsonValue> = {};
  let pending: Record<string, JsonValue> = {};
  let consumed = 0;
  for (const [i, step] of steps.entries()) {
    if (!('table' in step) || step.table !== table.name) break;
    const constant = constantFills(step);
    if (constant) {
      pending = { ...pending, ...constant };
      continue;
    }
    // validating a key compiles to nothing here (the rebuild that added it checked it): look past it
    if (step.kind === 'validateForeignKey' && Object.keys(pending).length === 0) {
      if (run.length > 0) consumed = i + 1;
      continue;
    }
    const reason = rebuildReason(step, scratch.get(table.name) as TableState, context.module);
    if (!reason) break;
    Object.assign(fills, pending);
    pending = {};
    run.push(step);
    reasons.push(reason);
    applyStep(scratch, step);
    consumed = i + 1;
  }
  if (run.length === 0) return undefined;
  return { compiled: rebuildTable(run, context, reasons, fills), consumed };
}

const createIndex: StepHook<'createIndex'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  let builder = module.db.schema.createIndex(step.name).ifNotExists().on(step.table).columns(step.columns);
  if (step.unique) builder = builder.unique();
  return [
    ddl(`create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table}`, [builder.compile()], {
      path: table.model,
    }),
  ];
};

const dropIndex: StepHook<'dropIndex'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const query = module.db.schema.dropIndex(step.name).ifExists().compile();
  return [ddl(`drop index ${step.name}`, [query], { path: table.model })];
};

/**
 * SQLite's hooks for what ALTER can express (add, rename, simple drops). Every other kind needs a rebuild,
 * which `compileSqliteRun` handles first; one that gets here anyway is refused, never dropped silently.
 */
export const sqliteStepHooks: StepHooks = {
  ...baseStepHooks,
  createIndex,
  dropIndex,
  // the rebuild that added the key ran foreign_key_check
  validateForeignKey: () => [],
  // only a type SQLite stores alike gets here (see rebuildReason): nothing to do
  alterColumnType: () => [],
  addIdentity: compileSqliteIdentity,
  dropIdentity: compileSqliteIdentity,
  setNotNull: unsupportedStep,
  dropNotNull: unsupportedStep,
  setDefault: unsupportedStep,
  dropDefault: unsupportedStep,
  addForeignKey: unsupportedStep,
  dropForeignKey: unsupportedStep,
  changePrimaryKey: unsupportedStep,
};

/**
 * SQLite: a step or a run of steps that needs a rebuild compiles as one rebuild; the rest with
 * `sqliteStepHooks`.
 *
 * @example
 * compileSqliteStep(addColumn('User', 'email', { type: { kind: 'string' }, nullable: true }), context);
 */
export function compileSqliteStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  const run = compileSqliteRun([step], context);
  if (run) return run.compiled;
  return compileWithHooks(sqliteStepHooks, step, context);
}
