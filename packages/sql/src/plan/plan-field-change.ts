import { type Change, columnOf, EvolveError, type FieldSnapshot, type ModelSnapshot } from '@evolve/core';
import { columnSpecOf } from '../dialects/shared/table-state.ts';
import type { BackfillValue } from '../steps/sql-step.ts';
import {
  addColumn,
  addIdentity,
  dropColumn,
  dropDefault,
  dropIdentity,
  dropNotNull,
  renameColumn,
  setDefault,
  setNotNull,
  transform,
  validateEnumCheck,
} from '../steps/step-constructors.ts';
import { fieldOf } from './model-state.ts';
import { addSet, type Group, planEnumCheck } from './plan-group.ts';
import { movedValue, planJsonFieldChange } from './plan-json-field-change.ts';
import { planColumnChange, planTypeChange } from './plan-type-change.ts';

/** Plans one field change into its model's group (expand steps, backfill sources, contract steps). */
export function planFieldChange(
  change: Change,
  before: ModelSnapshot,
  after: ModelSnapshot,
  group: Group,
  hasTransform: (model: string, path: readonly string[]) => boolean,
): void {
  const table = after.table;
  const [top] = change.path;
  if (top === undefined) {
    throw new EvolveError('INVALID_CHANGESET', `${change.kind} needs a field path`, { path: change.model });
  }
  const dotted = change.path.join('.');
  const path = `${change.model}.${dotted}`;
  const fieldAfter = () => fieldOf(after, top, change);
  const fieldBefore = () => fieldOf(before, top, change);
  const colAfter = () => columnOf(top, fieldAfter());

  const transformed = hasTransform(change.model, change.path);
  // a change inside a JSON column: no DDL; its data moves with a transform or, for renames, moveJson
  if (change.path.length > 1) {
    planJsonFieldChange(change, { before, after, group, transformed });
    return;
  }

  /** Adds a column that existing rows must fill: nullable first, backfilled, then NOT NULL when required. */
  const addFilled = (column: string, field: FieldSnapshot, source: BackfillValue = transform(dotted)) => {
    const spec = columnSpecOf(field);
    group.pre.push(addColumn(table, column, { ...spec, nullable: true }));
    addSet(group, column, source);
    if (!spec.nullable) group.post.push(setNotNull(table, column));
  };

  switch (change.kind) {
    case 'addField': {
      // a generated key is added as a plain column, filled, then generated (after it became the key)
      const { generated, ...field } = change.field;
      const spec = columnSpecOf(field);
      const column = columnOf(top, field);
      if (transformed || (!spec.nullable && spec.default === undefined)) {
        addFilled(column, field);
      } else group.pre.push(addColumn(table, column, spec));
      if (field.type.kind === 'enum') group.pre.push(validateEnumCheck(table, column));
      if (generated) group.post.push(addIdentity(table, column));
      return;
    }
    case 'dropField':
      group.post.push(dropColumn(table, columnOf(top, change.previous)));
      return;
    case 'renameField': {
      const [fromTop] = change.from;
      if (change.from.length > 1 || fromTop === undefined) {
        // hoist: a value moves out of a JSON column into its own column
        addFilled(
          columnOf(top, change.field),
          change.field,
          movedValue(change, { before, after, transformed }) ?? transform(dotted),
        );
        return;
      }
      const from = columnOf(fromTop, fieldOf(before, fromTop, change));
      const to = columnOf(top, change.field);
      if (from !== to) group.pre.push(renameColumn(table, from, to));
      if (transformed) addSet(group, to, transform(dotted));
      return;
    }
    case 'changeType':
      planTypeChange(change, { table, top, path, dotted, before, after, group, transformed });
      return;
    case 'changeNullable':
    case 'changeOptional': {
      const was = columnSpecOf(fieldBefore()).nullable;
      const spec = columnSpecOf(fieldAfter());
      if (was === spec.nullable) return;
      const column = colAfter();
      if (spec.nullable) {
        group.pre.push(dropNotNull(table, column));
        return;
      }
      // the fill source (transform or the final default) is chosen when the group is complete
      if (!group.notNull.includes(top)) group.notNull.push(top);
      return;
    }
    case 'changeDefault': {
      const was = columnSpecOf(fieldBefore()).default;
      const now = columnSpecOf(fieldAfter()).default;
      if (JSON.stringify(was) === JSON.stringify(now)) return;
      group.pre.push(now === undefined ? dropDefault(table, colAfter()) : setDefault(table, colAfter(), now));
      return;
    }
    case 'changeColumn':
      planColumnChange(change, { table, top, path, dotted, before, after, group, transformed });
      return;
    case 'changeGenerated':
      // generation starts once the group's backfills gave the column its values, and stops before anything else
      if (change.to) group.post.push(addIdentity(table, colAfter()));
      else group.pre.push(dropIdentity(table, colAfter()));
      return;
    case 'addEnumValues':
    case 'removeEnumValues':
      // enums are stored as text held to their values by a CHECK (see enum-check.ts): the data moves when
      // a transform says how, and the CHECK changes around it
      if (transformed) addSet(group, colAfter(), transform(dotted));
      planEnumCheck(group, {
        table,
        column: colAfter(),
        field: fieldAfter(),
        from: fieldBefore().type,
        transformed,
      });
      return;
    default:
      throw new EvolveError('UNSUPPORTED_CHANGE', `the SQL planner cannot express a ${change.kind} change`, {
        path,
      });
  }
}
