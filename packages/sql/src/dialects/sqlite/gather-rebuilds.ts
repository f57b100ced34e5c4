import type { SqlStep } from '../../steps/sql-step.ts';
import { applyStep } from '../shared/apply-step.ts';
import type { CompileContext } from '../shared/dialect-module.ts';
import { cloneTable, type SchemaState, type TableState } from '../shared/table-state.ts';
import { rebuildReason } from './rebuild-reason.ts';
import { sqliteAffinity } from './sqlite-affinity.ts';

type TableStep = SqlStep & { table: string };

/** Rebuild steps that may run later than planned, next to a later rebuild of the same table. */
const DEFERRABLE = new Set<SqlStep['kind']>([
  'setDefault',
  'dropDefault',
  'dropNotNull',
  'alterColumnType',
  'addForeignKey',
  'dropForeignKey',
]);

/** A position of the walk: the step and the tables just before it. */
interface At {
  step: SqlStep;
  before: SchemaState;
  rebuild: boolean;
}

function walk(steps: readonly SqlStep[], context: CompileContext): At[] {
  const state: SchemaState = new Map([...context.state].map(([name, t]) => [name, cloneTable(t)]));
  return steps.map((step) => {
    const table = 'table' in step ? state.get(step.table) : undefined;
    const before: SchemaState = new Map([...state].map(([name, t]) => [name, cloneTable(t)]));
    const rebuild = table !== undefined && rebuildReason(step, table, context.module) !== undefined;
    applyStep(state, step);
    return { step, before, rebuild };
  });
}

/** The columns whose data or definition a deferrable step depends on. */
function columnsOf(step: SqlStep, table: TableState | undefined): string[] | undefined {
  switch (step.kind) {
    case 'setDefault':
    case 'dropDefault':
    case 'dropNotNull':
    case 'alterColumnType':
      return [step.column];
    case 'addForeignKey':
      return step.columns;
    case 'dropForeignKey':
      return table?.foreignKeys.find((f) => f.name === step.name)?.columns;
    default:
      return undefined;
  }
}

/** Whether `moved` (a deferrable rebuild step, at `at`) gives the same result when it runs after `other`. */
function commutes(moved: At, other: SqlStep, context: CompileContext): boolean {
  const step = moved.step as TableStep;
  const table = moved.before.get(step.table);
  const columns = columnsOf(step, table);
  if (!columns || other.kind === 'rawSql') return false;
  if (other.kind === 'renameTable' && other.to === step.table) return false;
  if (other.kind === 'createTable' && other.table === step.table) return false;
  if (other.table !== step.table) return true;
  const touches = (...names: string[]) => names.some((n) => columns.includes(n));
  switch (other.kind) {
    case 'createIndex':
    case 'dropIndex':
      return true;
    case 'validateForeignKey':
      return !(step.kind === 'addForeignKey' && step.name === other.name);
    case 'addColumn':
    case 'dropColumn':
      return !touches(other.column);
    case 'renameColumn':
      return !touches(other.column, other.to);
    case 'setNotNull':
    case 'dropNotNull':
    case 'setDefault':
    case 'dropDefault':
      return !touches(other.column);
    case 'alterColumnType':
      return !touches(other.column);
    case 'backfill': {
      // a default only matters to inserts, which a backfill does not make
      if (step.kind === 'setDefault' || step.kind === 'dropDefault') return true;
      if (touches(...Object.keys(other.set))) return false;
      if (step.kind !== 'alterColumnType') return true;
      // a transform reads the whole row: the column must read back alike before and after the change
      const column = table?.columns.find((c) => c.name === step.column);
      const module = context.module;
      return (
        column !== undefined &&
        sqliteAffinity(module.columnType(column.spec)) === sqliteAffinity(module.columnType(step))
      );
    }
    default:
      return false;
  }
}

/**
 * SQLite rebuilds a table for what ALTER cannot do; this orders a migration's steps so that each table's
 * rebuild steps sit next to each other and compile to one rebuild (one copy of the rows). A rebuild step
 * that only changes the table's definition (a default, a dropped NOT NULL, a type SQLite reads alike, a
 * foreign key) moves from its place to just after the table's next rebuild step, when every step it
 * passes gives the same result either way (other tables, indexes, other columns, a backfill that does not
 * write its columns). A later rebuild step never moves earlier: a NOT NULL needs its backfill first.
 * Steps that cannot move keep their order, and then their rebuilds stay separate. First, a foreign key
 * added to a table this migration creates moves up to its CREATE TABLE (see `createTableWithKeys`), and
 * such a step on a table the migration then drops goes: the DROP TABLE takes it along.
 *
 * @example
 * // [setDefault(t, a), addColumn(t, b), backfill(t, b), setNotNull(t, b)]
 * // -> [addColumn(t, b), backfill(t, b), setNotNull(t, b), setDefault(t, a)]: one rebuild of t
 * const ordered = gatherRebuilds(steps, context);
 */
export function gatherRebuilds(steps: readonly SqlStep[], context: CompileContext): SqlStep[] {
  let out = withoutStepsOfDroppedTables(keysWithTheirTables(steps), context);
  for (let pass = 0; pass < steps.length; pass++) {
    const moved = deferOne(out, walk(out, context), context);
    if (!moved) return out;
    out = moved;
  }
  return out;
}

/** Moves the first movable run of rebuild steps next to its table's next rebuild; undefined when none. */
function deferOne(
  out: readonly SqlStep[],
  at: readonly At[],
  context: CompileContext,
): SqlStep[] | undefined {
  const tableAt = (i: number) => {
    const s = at[i]?.step;
    return s && 'table' in s ? s.table : undefined;
  };
  for (let start = 0; start < at.length; start++) {
    if (!at[start]?.rebuild) continue;
    const table = tableAt(start);
    // the run: this table's consecutive rebuild steps (a key validation between them does not split it)
    let end = start;
    while (
      end + 1 < at.length &&
      tableAt(end + 1) === table &&
      (at[end + 1]?.rebuild || at[end + 1]?.step.kind === 'validateForeignKey')
    ) {
      end++;
    }
    const target = at.findIndex((a, i) => i > end + 1 && a.rebuild && tableAt(i) === table);
    const run = at.slice(start, end + 1).filter((a) => a.rebuild);
    const passed = out.slice(end + 1, target + 1);
    const movable =
      target > 0 &&
      run.every((a) => DEFERRABLE.has(a.step.kind) && passed.every((other) => commutes(a, other, context)));
    if (!movable) {
      start = end;
      continue;
    }
    const runSteps = out.slice(start, end + 1);
    return [...out.slice(0, start), ...passed, ...runSteps, ...out.slice(target + 1)];
  }
  return undefined;
}

/** Steps a foreign key of a new table may move up past: nothing that touches the table or its parent. */
function keyPasses(key: Extract<SqlStep, { kind: 'addForeignKey' }>, other: SqlStep): boolean {
  if (other.kind === 'rawSql') return false;
  const parent = key.references.table;
  if (other.table === key.table) {
    return (
      other.kind === 'createIndex' || other.kind === 'addForeignKey' || other.kind === 'validateForeignKey'
    );
  }
  if (other.kind === 'renameTable')
    return ![other.table, other.to].some((t) => t === parent || t === key.table);
  return !(other.kind === 'dropTable' && other.table === parent);
}

/**
 * Moves each foreign key added to a table created earlier in the same migration up to just after that
 * CREATE TABLE (after the keys already there), when the steps it passes leave the table and its parent
 * alone. The table is empty until the migration ends, so the key is checked against the same rows.
 */
function keysWithTheirTables(steps: readonly SqlStep[]): SqlStep[] {
  const out = [...steps];
  for (let i = 0; i < out.length; i++) {
    const key = out[i] as SqlStep;
    if (key.kind !== 'addForeignKey') continue;
    let create = -1;
    for (let j = i - 1; j >= 0; j--) {
      const s = out[j] as SqlStep;
      if (s.kind === 'createTable' && s.table === key.table) {
        create = j;
        break;
      }
      if (!keyPasses(key, s)) break;
    }
    if (create < 0) continue;
    let at = create + 1;
    while (at < i && out[at]?.kind === 'addForeignKey' && (out[at] as TableStep).table === key.table) at++;
    if (at === i) continue;
    out.splice(i, 1);
    out.splice(at, 0, key);
  }
  return out;
}

/** Whether a definition-only step on a table can be left to the table's later DROP, past `other`. */
function leftToDrop(step: TableStep, parent: string | undefined, other: SqlStep): boolean {
  if (other.kind === 'rawSql' || other.kind === 'backfill') return false;
  if (other.kind === 'renameTable') {
    return ![other.table, other.to].some((t) => t === step.table || t === parent);
  }
  if (other.table === step.table) {
    const kinds: SqlStep['kind'][] = ['dropTable', 'createIndex', 'dropIndex', 'validateForeignKey'];
    return kinds.includes(other.kind) || DEFERRABLE.has(other.kind);
  }
  // the key stays until the DROP: its parent must keep its rows till then
  return other.table !== parent;
}

/**
 * Leaves out definition-only rebuild steps (a default, a NOT NULL dropped, a type, a foreign key) on a
 * table that a later step of the migration drops, when nothing in between depends on them: rebuilding a
 * table only to drop it copies every row for nothing (the down migration of a new table with a foreign
 * key did exactly that).
 */
function withoutStepsOfDroppedTables(steps: readonly SqlStep[], context: CompileContext): SqlStep[] {
  const at = walk(steps, context);
  const gone = new Set<number>();
  for (const [i, { step, before }] of at.entries()) {
    if (!DEFERRABLE.has(step.kind) || !('table' in step)) continue;
    const parent =
      step.kind === 'addForeignKey'
        ? step.references.table
        : step.kind === 'dropForeignKey'
          ? before.get(step.table)?.foreignKeys.find((f) => f.name === step.name)?.references.table
          : undefined;
    if (step.kind === 'dropForeignKey' && parent === undefined) continue;
    for (let j = i + 1; j < steps.length; j++) {
      const other = steps[j] as SqlStep;
      if (!leftToDrop(step, parent, other)) break;
      if (other.kind === 'dropTable' && other.table === step.table) {
        gone.add(i);
        break;
      }
    }
  }
  return steps.filter((_, i) => !gone.has(i));
}
