import type { SqlStep } from '../../steps/sql-step.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { sameEnumValues } from '../shared/enum-check.ts';
import type { TableState } from '../shared/table-state.ts';
import { keysWithTheirTables } from './keys-with-their-tables.ts';
import { type At, DEFERRABLE, type TableStep, walk } from './rebuild-walk.ts';
import { sqliteAffinity } from './sqlite-affinity.ts';
import { withoutStepsOfDroppedTables } from './without-steps-of-dropped-tables.ts';

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
  // a swap of an enum's CHECK stays where the planner put it: right after the catch-up of its column's
  // change log (removed values), or before the backfill that writes the new values (added ones)
  const column = table?.columns.find((c) => c.name === (step as { column?: string }).column);
  if (step.kind === 'alterColumnType' && (!column || !sameEnumValues(column.spec, step))) return false;
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
