import type { SqlStep } from '../../steps/sql-step.ts';
import { applyStep } from '../shared/apply-step.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { cloneTable, type SchemaState } from '../shared/table-state.ts';
import { rebuildReason } from './rebuild-reason.ts';

export type TableStep = SqlStep & { table: string };

/** Rebuild steps that may run later than planned, next to a later rebuild of the same table. */
export const DEFERRABLE = new Set<SqlStep['kind']>([
  'setDefault',
  'dropDefault',
  'dropNotNull',
  'alterColumnType',
  'addForeignKey',
  'dropForeignKey',
]);

/** A position of the walk: the step, the tables just before it, and whether SQLite rebuilds for it. */
export interface At {
  step: SqlStep;
  before: SchemaState;
  rebuild: boolean;
}

/** Walks a migration's steps on SQLite, recording the tables before each and which ones rebuild. */
export function walk(steps: readonly SqlStep[], context: CompileContext): At[] {
  const state: SchemaState = new Map([...context.state].map(([name, t]) => [name, cloneTable(t)]));
  return steps.map((step) => {
    const table = 'table' in step ? state.get(step.table) : undefined;
    const before: SchemaState = new Map([...state].map(([name, t]) => [name, cloneTable(t)]));
    const rebuild = table !== undefined && rebuildReason(step, table, context.module) !== undefined;
    applyStep(state, step);
    return { step, before, rebuild };
  });
}
