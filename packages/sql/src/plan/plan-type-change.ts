import {
  type Change,
  columnOf,
  EvolveError,
  internalIdentifier,
  type ModelSnapshot,
  type TypeSnapshot,
} from '@evolve/core';
import { columnSpecOf, fieldColumns } from '../dialects/shared/table-state.ts';
import { maxLengthOf, valueKind } from '../dialects/shared/value-kind.ts';
import {
  addColumn,
  alterColumnType,
  createIndex,
  dropColumn,
  dropIndex,
  renameColumn,
  setNotNull,
  transform,
  validateEnumCheck,
} from '../steps/step-constructors.ts';
import { fieldOf } from './model-state.ts';
import { addSet, type Group, planEnumCheck } from './plan-group.ts';

/** The shadow column a converting transform fills: unique to the table and column, within every limit. */
const tempColumn = (table: string, column: string) =>
  internalIdentifier(`_evolve_${column}`, ['shadow', table, column]);

/** Whether changing a column from one type to another rewrites the table (widening strings does not). */
export function typeChangeRewrites(from: TypeSnapshot, to: TypeSnapshot): boolean {
  const a = valueKind(from);
  const b = valueKind(to);
  if (a === 'json' && b === 'json') return false;
  if (a === 'string' && b === 'string') {
    const before = maxLengthOf(from);
    const after = maxLengthOf(to);
    return !(after === undefined || (before !== undefined && after >= before));
  }
  return true;
}

/**
 * Whether two types are stored alike on every dialect (enum -> string, object -> array). A string that
 * becomes unbounded is not: a dialect may store it as longtext instead of varchar(255).
 */
const sameStorage = (from: TypeSnapshot, to: TypeSnapshot) =>
  valueKind(from) === valueKind(to) &&
  maxLengthOf(from) === maxLengthOf(to) &&
  !(from.kind === 'string' && to.kind === 'string' && Boolean(from.unbounded) !== Boolean(to.unbounded));

/** Where a type change happens: the table, the field (top-level name, path text) and the group it joins. */
export interface TypeChangeAt {
  table: string;
  top: string;
  path: string;
  dotted: string;
  before: ModelSnapshot;
  after: ModelSnapshot;
  group: Group;
  transformed: boolean;
}

/**
 * Plans a `changeType` of a top-level column: a type stored alike only moves data (transform) and its enum
 * CHECK; a transformed non-safe change fills a shadow column that replaces the old one (indexes re-made);
 * else one ALTER that says whether it rewrites the table and whether it can lose values.
 */
export function planTypeChange(change: Extract<Change, { kind: 'changeType' }>, at: TypeChangeAt): void {
  const { table, top, path, dotted, before, after, group, transformed } = at;
  const field = fieldOf(after, top, change);
  const column = columnOf(top, field);
  if (sameStorage(change.from, change.to) && field.sqlType === fieldOf(before, top, change).sqlType) {
    if (transformed) addSet(group, column, transform(dotted));
    planEnumCheck(group, { table, column, field, from: change.from, transformed });
    return;
  }
  if (transformed && change.risk !== 'safe') {
    // the transform computes the new values into a new column that then replaces the old one
    if (after.primaryKey.includes(top) || after.foreignKeys.some((fk) => fk.fields.includes(top))) {
      throw new EvolveError(
        'UNSUPPORTED_CHANGE',
        `${path}: converting a key column with a transform is not supported; ` +
          'add a new field, backfill it, then switch the key in a later migration',
        { path },
      );
    }
    const temp = tempColumn(table, column);
    const spec = columnSpecOf(field);
    const indexes = after.indexes.filter((i) => i.fields.includes(top));
    group.pre.push(addColumn(table, temp, { ...spec, nullable: true }));
    if (spec.type.kind === 'enum') group.pre.push(validateEnumCheck(table, temp));
    addSet(group, temp, transform(dotted));
    group.post.push(
      ...indexes.map((i) => dropIndex(table, i.name)),
      dropColumn(table, column),
      renameColumn(table, temp, column),
    );
    if (!spec.nullable) group.post.push(setNotNull(table, column));
    group.post.push(
      ...indexes.map((i) =>
        createIndex(table, i.name, { columns: fieldColumns(after, i.fields, path), unique: i.unique }),
      ),
    );
    return;
  }
  group.pre.push(
    alterColumnType(table, column, {
      type: change.to,
      ...(field.sqlType !== undefined ? { sqlType: field.sqlType } : {}),
      rewrite: typeChangeRewrites(change.from, change.to),
      lossy: change.risk === 'lossy' || change.risk === 'destructive',
    }),
  );
  if (change.to.kind === 'enum') group.pre.push(validateEnumCheck(table, column));
  return;
}

/** A `changeColumn`: the column renamed (its `column` name changed) and/or retyped (its `sqlType` changed). */
export function planColumnChange(change: Extract<Change, { kind: 'changeColumn' }>, at: TypeChangeAt): void {
  const { table, top, before, after, group } = at;
  const from = columnOf(top, fieldOf(before, top, change));
  const field = fieldOf(after, top, change);
  const to = columnOf(top, field);
  if (from !== to) group.pre.push(renameColumn(table, from, to));
  if (change.from.sqlType === change.to.sqlType) return;
  group.pre.push(
    alterColumnType(table, to, {
      type: field.type,
      ...(field.sqlType !== undefined ? { sqlType: field.sqlType } : {}),
      rewrite: true,
    }),
  );
  if (field.type.kind === 'enum') group.pre.push(validateEnumCheck(table, to));
}
