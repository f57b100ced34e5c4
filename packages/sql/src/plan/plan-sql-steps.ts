import {
  type Change,
  type ChangeSet,
  columnOf,
  EvolveError,
  type ModelSnapshot,
  type Snapshot,
} from '@evolve/core';
import { columnSpecOf } from '../dialects/shared/table-state.ts';
import type { SqlStep } from '../steps/sql-step.ts';
import { backfill, ifNull, setNotNull, transform, value } from '../steps/step-constructors.ts';
import { deferInPlaceContracts } from './defer-in-place-contracts.ts';
import { planFieldChange } from './plan-field-change.ts';
import { addSet, contractOrder, type Group } from './plan-group.ts';
import { planModelChange } from './plan-model-change.ts';

export { typeChangeRewrites } from './plan-type-change.ts';

import { identityAfterKey } from './identity-after-key.ts';
import { applyChange, modelOf, modelStateOf } from './model-state.ts';

export interface PlanOptions {
  /** The schema before the change set. */
  before: Snapshot;
  /**
   * The migration's transforms (only which model/field paths have one matters). A field with a transform
   * gets a backfill step; a required field added without a constant default always gets one.
   */
  transforms?: Record<string, Record<string, unknown>>;
}

const FIELD_CHANGES = new Set<Change['kind']>([
  'addField',
  'dropField',
  'renameField',
  'changeType',
  'changeNullable',
  'changeOptional',
  'changeDefault',
  'changeColumn',
  'changeGenerated',
  'addEnumValues',
  'removeEnumValues',
]);

const MODEL_CHANGES = new Set<Change['kind']>([
  'createModel',
  'dropModel',
  'renameModel',
  'renameTable',
  'changePrimaryKey',
  'addIndex',
  'dropIndex',
  'addForeignKey',
  'dropForeignKey',
]);

/** Per-model phases of field changes: expand, fill existing rows, contract. */
/**
 * Plans a change set as dialect-agnostic SQL steps with safe phasing: a required column without a constant
 * default is added nullable, backfilled, then set NOT NULL; a column that becomes NOT NULL has its nulls
 * filled first when a transform or default exists; indexes and foreign keys are their own steps (foreign
 * keys on existing tables are validated separately); type changes say whether they rewrite the table.
 * Changes inside a JSON column need no DDL and only get a backfill when a transform exists.
 * Document models are ignored. A change that cannot be planned is UNSUPPORTED_CHANGE.
 *
 * @example
 * const steps = planSqlSteps(diff(prev, next), { before: prev, transforms: migration.transforms });
 */
export function planSqlSteps(changeSet: ChangeSet, options: PlanOptions): SqlStep[] {
  const state = modelStateOf(options.before);
  const created = new Set<string>();
  const out: SqlStep[] = [];
  let group: Group | undefined;
  const hasTransform = (model: string, path: readonly string[]) =>
    options.transforms?.[model]?.[path.join('.')] !== undefined;

  const flush = () => {
    if (!group) return;
    out.push(...group.pre);
    const final = group.model;
    for (const name of group.notNull) {
      const field = final.fields[name];
      if (!field || columnSpecOf(field).nullable) continue;
      const column = columnOf(name, field);
      const spec = columnSpecOf(field);
      if (hasTransform(final.name, [name])) addSet(group, column, ifNull(transform(name)));
      else if (spec.default !== undefined) addSet(group, column, ifNull(value(spec.default)));
      group.post.push(setNotNull(final.table, column));
    }
    for (const set of group.sets) {
      if (Object.keys(set).length > 0) {
        const { name, table } = group.model;
        out.push(backfill(name, set, table === name ? {} : { table }));
      }
    }
    out.push(...contractOrder(group.post));
    group = undefined;
  };

  for (const change of changeSet.changes) {
    if (!FIELD_CHANGES.has(change.kind) && !MODEL_CHANGES.has(change.kind)) {
      throw new EvolveError('UNSUPPORTED_CHANGE', `the SQL planner cannot express a ${change.kind} change`, {
        path: change.model,
      });
    }
    const model =
      change.kind === 'dropModel'
        ? change.previous
        : change.kind === 'createModel'
          ? change.definition
          : modelOf(state, change.kind === 'renameModel' ? change.from : change.model, change);
    const isSql = model.target === 'sql';
    if (FIELD_CHANGES.has(change.kind)) {
      if (isSql && group?.model.name !== change.model) {
        flush();
        group = {
          model: state[change.model] as ModelSnapshot,
          pre: [],
          sets: [{}],
          post: [],
          notNull: [],
        };
      }
      const before = structuredClone(model);
      applyChange(state, change);
      if (isSql && group) {
        group.model = state[change.model] as ModelSnapshot;
        planFieldChange(change, before, group.model, group, hasTransform);
      }
      continue;
    }
    flush();
    const before = structuredClone(model);
    applyChange(state, change);
    if (isSql) out.push(...planModelChange(change, before, state, created));
  }
  flush();
  return deferInPlaceContracts(identityAfterKey(out));
}
