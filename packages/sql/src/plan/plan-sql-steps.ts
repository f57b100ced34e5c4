import {
  type Change,
  type ChangeSet,
  columnOf,
  EvolveError,
  type FieldSnapshot,
  fieldOrderOf,
  internalIdentifier,
  type ModelSnapshot,
  type Snapshot,
  type TypeSnapshot,
} from '@evolve/core';
import { columnSpecOf, fieldColumns } from '../dialects/shared/table-state.ts';
import { maxLengthOf, valueKind } from '../dialects/shared/value-kind.ts';
import type { BackfillValue, SqlStep } from '../steps/sql-step.ts';
import {
  addColumn,
  addForeignKey,
  addIdentity,
  alterColumnType,
  backfill,
  changePrimaryKey,
  createIndex,
  createTable,
  dropColumn,
  dropDefault,
  dropForeignKey,
  dropIdentity,
  dropIndex,
  dropNotNull,
  dropTable,
  ifNull,
  moveJson,
  renameColumn,
  renameTable,
  setDefault,
  setNotNull,
  transform,
  validateEnumCheck,
  validateForeignKey,
  value,
} from '../steps/step-constructors.ts';
import { deferInPlaceContracts } from './defer-in-place-contracts.ts';
import { identityAfterKey } from './identity-after-key.ts';
import { applyChange, fieldOf, type ModelState, modelOf, modelStateOf } from './model-state.ts';

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
interface Group {
  model: ModelSnapshot;
  pre: SqlStep[];
  /** One backfill pass per entry (a second pass only when two sources target the same column). */
  sets: Record<string, BackfillValue>[];
  post: SqlStep[];
  /** Fields whose column becomes NOT NULL: filled and constrained once the group's final state is known. */
  notNull: string[];
}

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
 * becomes unbounded is not: MySQL/MariaDB store it as longtext instead of varchar(255).
 */
const sameStorage = (from: TypeSnapshot, to: TypeSnapshot) =>
  valueKind(from) === valueKind(to) &&
  maxLengthOf(from) === maxLengthOf(to) &&
  !(from.kind === 'string' && to.kind === 'string' && Boolean(from.unbounded) !== Boolean(to.unbounded));

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

/**
 * The contract steps of a group with the NOT NULLs of columns that keep their name first: they need the
 * values the backfill (and its change log) gave, which can only be computed again while the old columns
 * are still there, i.e. before the drops and renames that swap in a replacement column. The swaps of enum
 * CHECKs that drop values come next, each right after a catch-up of its column (in its transaction, or under
 * its lock), so that the old code's writes of a removed value fail from then on; their validations
 * (which run outside a transaction) come last, after the drops and renames the catch-up also guards.
 */
function contractOrder(post: readonly SqlStep[]): SqlStep[] {
  const renamedInto = new Set(post.flatMap((s) => (s.kind === 'renameColumn' ? [s.to] : [])));
  const rank = (s: SqlStep) => {
    if (s.kind === 'setNotNull' && !renamedInto.has(s.column)) return 0;
    if (s.kind === 'alterColumnType') return 1; // only enum swaps are contract steps
    return s.kind === 'validateEnumCheck' ? 3 : 2;
  };
  return [...post].sort((a, b) => rank(a) - rank(b));
}

function planModelChange(
  change: Change,
  before: ModelSnapshot,
  state: ModelState,
  created: Set<string>,
): SqlStep[] {
  switch (change.kind) {
    case 'createModel': {
      const definition = change.definition;
      created.add(definition.name);
      const columns = Object.fromEntries(
        fieldOrderOf(definition).map((f) => {
          const field = definition.fields[f] as FieldSnapshot;
          return [columnOf(f, field), columnSpecOf(field)];
        }),
      );
      return [
        createTable(definition.table, {
          model: definition.name,
          columns,
          primaryKey: fieldColumns(definition, definition.primaryKey, `${definition.name}.primaryKey`),
        }),
      ];
    }
    case 'dropModel':
      return [dropTable(change.previous.table)];
    case 'renameModel':
      return [];
    case 'renameTable':
      return [renameTable(change.from, change.to)];
    case 'changePrimaryKey': {
      const after = modelOf(state, change.model, change);
      return [changePrimaryKey(after.table, fieldColumns(after, change.to, `${change.model}.primaryKey`))];
    }
    case 'addIndex': {
      const after = modelOf(state, change.model, change);
      return [
        createIndex(after.table, change.index.name, {
          columns: fieldColumns(after, change.index.fields, `${change.model}.indexes`),
          unique: change.index.unique,
        }),
      ];
    }
    case 'dropIndex':
      return [dropIndex(before.table, change.index.name)];
    case 'addForeignKey': {
      const after = modelOf(state, change.model, change);
      const fk = change.foreignKey;
      const target = modelOf(state, fk.references.model, change);
      const steps: SqlStep[] = [
        addForeignKey(after.table, fk.name, {
          columns: fieldColumns(after, fk.fields, `${change.model}.foreignKeys`),
          references: {
            table: target.table,
            columns: fieldColumns(target, fk.references.fields, `${target.name}.primaryKey`),
          },
          onDelete: fk.onDelete,
        }),
      ];
      if (!created.has(change.model)) steps.push(validateForeignKey(after.table, fk.name));
      return steps;
    }
    case 'dropForeignKey':
      return [dropForeignKey(before.table, change.foreignKey.name)];
    default:
      throw new EvolveError('UNSUPPORTED_CHANGE', `the SQL planner cannot express a ${change.kind} change`, {
        path: change.model,
      });
  }
}

/**
 * The CHECK of a column whose type changes without a change of its stored type (enum values added or
 * removed, a string becoming an enum or an enum a string). Values only added: the CHECK is widened before
 * anything writes the new values, then validated. Values removed (or a string narrowed to an enum): the
 * CHECK is swapped after the backfill that rewrote the old values (first of the contract steps, see
 * `contractOrder`), then validated; the validation is destructive, acknowledged at the field's path.
 * Values removed without a transform stay allowed: nothing can rewrite the rows that hold them (the down of
 * an addition: down migrations carry no transforms), and a CHECK refusing them would fail the migration; a
 * later migration that maps them with a transform narrows the CHECK (generated migrations always get one,
 * as a TODO until it is written).
 */
function planEnumCheck(
  group: Group,
  at: { table: string; column: string; field: FieldSnapshot; from: TypeSnapshot; transformed: boolean },
): void {
  const { table, column, field, from } = at;
  const was = from.kind === 'enum' ? from.values : undefined;
  const now = field.type.kind === 'enum' ? field.type.values : undefined;
  if (!was && !now) return;
  // a copy: steps are frozen, and the walk goes on changing the model's field (its values) in place
  const swap = alterColumnType(table, column, {
    type: structuredClone(field.type),
    ...(field.sqlType !== undefined ? { sqlType: field.sqlType } : {}),
    rewrite: false,
  });
  if (!now) {
    group.pre.push(swap);
    return;
  }
  const removed = was?.filter((v) => !now.includes(v));
  if (removed && removed.length === 0) {
    if (was?.length !== now.length) group.pre.push(swap, validateEnumCheck(table, column));
    return;
  }
  if (removed && !at.transformed) return;
  group.post.push(swap, validateEnumCheck(table, column, removed ? { removed } : {}));
}

/**
 * Adds a source for a column to the group's first pass that has none for it. The same source twice (two
 * changes of one field asking for its transform: values added and removed) is one: a second pass would
 * run the transform again on its own result.
 */
function addSet(group: Group, column: string, source: BackfillValue): void {
  const same = JSON.stringify(source);
  if (group.sets.some((s) => column in s && JSON.stringify(s[column]) === same)) return;
  let set = group.sets.find((s) => !(column in s));
  if (!set) {
    set = {};
    group.sets.push(set);
  }
  set[column] = source;
}

function planFieldChange(
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
  /** `column.json.path` of a field path, for moveJson (undefined inside arrays, where it cannot move). */
  const jsonAddress = (model: ModelSnapshot, fieldPath: readonly string[]) => {
    const [head, ...rest] = fieldPath;
    if (head === undefined || rest.includes('[]')) return undefined;
    return [columnOf(head, fieldOf(model, head, change)), ...rest].join('.');
  };
  /** The value moved by a rename: the migration's transform when it has one, else the database's JSON functions. */
  const moved = (): BackfillValue | undefined => {
    if (transformed || change.kind !== 'renameField') return transformed ? transform(dotted) : undefined;
    const from = jsonAddress(before, change.from);
    const to = jsonAddress(after, change.path);
    return from && to ? moveJson(from, to) : undefined;
  };

  // a change inside a JSON column: no DDL; its data moves with a transform or, for renames, moveJson
  if (change.path.length > 1) {
    const source = moved();
    if (source) addSet(group, colAfter(), source);
    if (change.kind === 'renameField' && change.from.length === 1) {
      // plunge: a column moves into a JSON column, which replaces it
      group.post.push(
        dropColumn(
          table,
          columnOf(change.from[0] as string, fieldOf(before, change.from[0] as string, change)),
        ),
      );
    }
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
      if (hasTransform(change.model, change.path) || (!spec.nullable && spec.default === undefined)) {
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
        addFilled(columnOf(top, change.field), change.field, moved() ?? transform(dotted));
        return;
      }
      const from = columnOf(fromTop, fieldOf(before, fromTop, change));
      const to = columnOf(top, change.field);
      if (from !== to) group.pre.push(renameColumn(table, from, to));
      if (hasTransform(change.model, change.path)) addSet(group, to, transform(dotted));
      return;
    }
    case 'changeType': {
      const column = colAfter();
      const field = fieldAfter();
      if (sameStorage(change.from, change.to) && field.sqlType === fieldBefore().sqlType) {
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
    case 'changeColumn': {
      const from = columnOf(top, fieldBefore());
      const to = colAfter();
      if (from !== to) group.pre.push(renameColumn(table, from, to));
      if (change.from.sqlType !== change.to.sqlType) {
        const field = fieldAfter();
        group.pre.push(
          alterColumnType(table, to, {
            type: field.type,
            ...(field.sqlType !== undefined ? { sqlType: field.sqlType } : {}),
            rewrite: true,
          }),
        );
        if (field.type.kind === 'enum') group.pre.push(validateEnumCheck(table, to));
      }
      return;
    }
    case 'changeGenerated':
      // generation starts once the group's backfills gave the column its values, and stops before anything else
      if (change.to) group.post.push(addIdentity(table, colAfter()));
      else group.pre.push(dropIdentity(table, colAfter()));
      return;
    case 'addEnumValues':
    case 'removeEnumValues':
      // enums are stored as text held to their values by a CHECK (see enum-check.ts): the data moves when
      // a transform says how, and the CHECK changes around it
      if (hasTransform(change.model, change.path)) addSet(group, colAfter(), transform(dotted));
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
