import type { BackfillPlan, CompiledStep, SqlDialect } from '../compiled-step.ts';
import type { SqlStep } from '../steps/sql-step.ts';
import { type BackfillSeen, changeLogSpec, referencing, syncedColumns } from './change-log-spec.ts';
import { mysqlChangeLog } from './mysql/mysql-change-log.ts';
import { postgresChangeLog } from './postgres/postgres-change-log.ts';
import type { ChangeLogSql } from './shared/change-log-sql.ts';
import type { CompileContext } from './shared/dialect-capabilities.ts';
import { cloneTable, type SchemaState } from './shared/table-state.ts';
import { sqliteChangeLog } from './sqlite/sqlite-change-log.ts';

const CHANGE_LOG_SQL: Record<SqlDialect, ChangeLogSql> = {
  postgres: postgresChangeLog,
  mysql: mysqlChangeLog,
  sqlite: sqliteChangeLog,
};

/** Steps on a synced table that keep its columns as they are: the log goes on through them. */
const KEEPS_SYNC = new Set<SqlStep['kind']>([
  'createIndex',
  'dropIndex',
  'validateForeignKey',
  'validateEnumCheck',
  'addForeignKey',
  'dropForeignKey',
  'setDefault',
  'dropDefault',
  'dropNotNull',
  'addIdentity',
  'dropIdentity',
]);
/** Contract steps that share the final catch-up's lock where DDL is not transactional (MySQL). */
const CONTRACT = new Set<SqlStep['kind']>(['dropColumn', 'renameColumn', 'setNotNull']);

/** Columns added by the migration so far (on tables that existed before it), and the table at each backfill. */
export interface ChangeLogTracker {
  added: Map<string, Set<string>>;
  atBackfill: Map<number, BackfillSeen>;
}

export function changeLogTracker(): ChangeLogTracker {
  return { added: new Map(), atBackfill: new Map() };
}

/** Records what `step` (the `index`-th of the migration) does to the tracker; call before applying it. */
export function trackStep(tracker: ChangeLogTracker, state: SchemaState, step: SqlStep, index: number): void {
  const added = tracker.added;
  const columns = (table: string) => added.get(table) ?? new Set<string>();
  switch (step.kind) {
    case 'addColumn':
      if (state.get(step.table)?.fresh === false) added.set(step.table, columns(step.table).add(step.column));
      return;
    case 'renameColumn':
      if (columns(step.table).delete(step.column)) columns(step.table).add(step.to);
      return;
    case 'dropColumn':
      columns(step.table).delete(step.column);
      return;
    case 'renameTable': {
      const moved = added.get(step.table);
      added.delete(step.table);
      if (moved) added.set(step.to, moved);
      return;
    }
    case 'dropTable':
      added.delete(step.table);
      return;
    case 'backfill': {
      const table = state.get(step.table);
      if (table)
        tracker.atBackfill.set(index, {
          table: cloneTable(table),
          added: new Set(columns(step.table)),
          children: referencing(state, step.table),
        });
      return;
    }
    default:
      return;
  }
}

/** A compiled step and the index of the (first) migration step it was compiled from. */
export interface Traced {
  step: CompiledStep;
  origin: number;
}

/**
 * Adds change logs to a migration's compiled steps (DESIGN.md, "SQL apply": no lost writes). A backfill on
 * a table that existed before the migration, filling a column the migration added (a new or shadow column)
 * or filling NULLs of an existing column, gets:
 * - a step just before it that creates the log table and the triggers (the backfill reads every row as it
 *   is when it gets there, so a write before the triggers needs no log; every later write is logged);
 * - `changeLog` on its plan: after the batches the runner drains the log in batches until a batch comes
 *   back short;
 * - catch-up steps (see `catchUpPoints`): before each NOT NULL of a synced column, and before the first
 *   later step that drops, renames or retypes a column of the table (or at the end); each takes a write
 *   lock, drains the log and leaves the DDL after it in the same transaction; the last one also drops the
 *   triggers and the log. Where DDL is not transactional (MySQL) the contract steps that follow a catch-up
 *   are folded into it, so they run under the same LOCK TABLES.
 * Every backfill also gets `required`: its columns that a later step makes NOT NULL.
 */
export function weaveChangeLogs(
  steps: readonly SqlStep[],
  compiled: readonly Traced[],
  tracker: ChangeLogTracker,
  context: CompileContext,
): CompiledStep[] {
  let out = [...compiled];
  for (const [index, seen] of tracker.atBackfill) {
    const step = steps[index];
    if (step?.kind !== 'backfill') continue;
    const at = out.findIndex((t) => t.origin === index && t.step.backfill);
    const traced = out[at];
    if (!traced?.step.backfill) continue; // folded into a SQLite rebuild's copy: atomic, nothing to carry
    const columns = Object.keys(traced.step.backfill.set);
    const { inPlace } = syncedColumns(columns, seen, step);
    const computed = columns.filter((c) => !inPlace.includes(c));
    if (seen.table.fresh || inPlace.length === 0 || computed.length === 0) {
      out = weaveOne(out, traced, { steps, index, seen, context });
      continue;
    }
    // New columns and in-place rewrites get a pass and a log each: a write that changes a new column's
    // source must not transform an in-place column a second time, and the two logs stop at different steps
    const [first, second] = [computed, inPlace].map((keep) => splitBackfill(traced, keep));
    out.splice(at, 1, first as Traced, second as Traced);
    out = weaveOne(out, first as Traced, { steps, index, seen, context });
    out = weaveOne(out, second as Traced, { steps, index, seen, context });
  }
  return out.map((t) => t.step);
}

/** The part of a backfill step that fills `keep`. */
function splitBackfill(traced: Traced, keep: readonly string[]): Traced {
  const plan = traced.step.backfill as BackfillPlan;
  const only = (columns: readonly string[] | undefined) => columns?.filter((c) => keep.includes(c)) ?? [];
  const { onlyNull: _, ...rest } = plan;
  const onlyNull = only(plan.onlyNull);
  const set = Object.fromEntries(Object.entries(plan.set).filter(([c]) => keep.includes(c)));
  return {
    ...traced,
    step: {
      ...traced.step,
      description: `backfill ${plan.table}.${keep.join(', ')} in batches`,
      backfill: { ...rest, set, ...(onlyNull.length > 0 ? { onlyNull } : {}) },
    },
  };
}

/** Weaves the change log of one compiled backfill step (`traced`, an element of `out`) into `out`. */
function weaveOne(
  out: Traced[],
  traced: Traced,
  where: { steps: readonly SqlStep[]; index: number; seen: BackfillSeen; context: CompileContext },
): Traced[] {
  const { steps, index, seen, context } = where;
  const step = steps[index] as Extract<SqlStep, { kind: 'backfill' }>;
  const at = out.indexOf(traced);
  const targets = Object.keys(traced.step.backfill?.set ?? {});
  const required = requiredColumns(steps, index, targets);
  let plan = { ...(traced.step.backfill as BackfillPlan), ...(required.length > 0 ? { required } : {}) };
  const { fills, nullFills, inPlace } = syncedColumns(targets, seen, step);
  if (seen.table.fresh || fills.length + nullFills.length + inPlace.length === 0) {
    out[at] = { ...traced, step: { ...traced.step, backfill: plan } };
    return out;
  }
  // every column of the migration's backfill step is a target, not a source: a sibling pass's in-place
  // rewrites are no change of the old code's
  // children that still reference the table at the end of the migration (so they exist at the catch-up)
  const after = new Set(referencing(context.state, step.table));
  const spec = changeLogSpec(
    { ...seen, children: seen.children.filter((c) => after.has(c)) },
    { targets: Object.keys(step.set), fills, nullFills, inPlace },
    index,
    context.lockTimeoutMs,
  );
  const dialect = CHANGE_LOG_SQL[context.module.dialect];
  plan = {
    ...plan,
    changeLog: {
      table: spec.log,
      columns: [...fills, ...nullFills, ...inPlace],
      ...(inPlace.length > 0 ? { inPlace } : {}),
      probe: dialect.probe(spec),
      rearm: dialect.triggers(spec),
    },
  };
  const synced = [...fills, ...nullFills, ...inPlace];
  const columns = synced.join(', ');
  const start: Traced = {
    origin: index,
    step: {
      description: `log writes to ${spec.table} while ${columns} ${synced.length > 1 ? 'are' : 'is'} backfilled (change log ${spec.log})`,
      transactional: true,
      statements: dialect.start(spec),
      ...(traced.step.path ? { path: traced.step.path } : {}),
    },
  };
  out[at] = { ...traced, step: { ...traced.step, backfill: plan } };
  out.splice(at, 0, start);
  // an enum CHECK swapped on a column the log syncs keeps the table's columns: the log goes on through it
  const swapsCheck = (s: SqlStep) => {
    if (s.kind !== 'alterColumnType') return false;
    const column = seen.table.columns.find((c) => c.name === s.column);
    return column !== undefined && context.module.columnType(column.spec) === context.module.columnType(s);
  };
  const stops = catchUpPoints(steps, index, step.table, new Set(synced), {
    inPlace: inPlace.length > 0,
    swapsCheck,
  });
  const catchUp = (stop: boolean): CompiledStep => ({
    description: stop
      ? `catch up ${spec.table}.${columns} from ${spec.log} under a write lock, then stop logging`
      : `catch up ${spec.table}.${columns} from ${spec.log} under a write lock`,
    transactional: true,
    statements: [],
    catchUp: {
      backfill: plan,
      final: stop,
      lock: dialect.lock(spec),
      commit: dialect.commit(spec),
      unlock: dialect.unlock(spec),
      disarm: dialect.stop(spec),
      drop: dialect.drop(spec),
    },
    ...(traced.step.path ? { path: traced.step.path } : {}),
  });
  // each point: before the first transactional step compiled from it (or at the end)
  const places = new Map<number, boolean>();
  for (const [i, point] of stops.entries()) {
    const place = out.findIndex((t, j) => j > at + 1 && t.origin >= point && t.step.transactional);
    const where = place < 0 ? out.length : place;
    places.set(where, (places.get(where) ?? false) || i === stops.length - 1);
  }
  for (const [where, stop] of [...places].sort((a, b) => b[0] - a[0])) {
    const origin = out[where]?.origin ?? steps.length;
    out.splice(where, 0, { origin, step: catchUp(stop) });
  }
  return context.module.supportsTransactionalDdl ? out : fold(out, plan, steps, step.table);
}

/**
 * Where DDL is not transactional a catch-up's lock must outlast its own step: the contract steps on the
 * table that follow it (NOT NULL, drop the old column, rename the new one) become statements of the catch-up.
 */
function fold(
  out: readonly Traced[],
  plan: BackfillPlan,
  steps: readonly SqlStep[],
  table: string,
): Traced[] {
  const folded: Traced[] = [];
  for (let i = 0; i < out.length; i++) {
    const traced = out[i] as Traced;
    if (traced.step.catchUp?.backfill !== plan) {
      folded.push(traced);
      continue;
    }
    const merged = { ...traced.step, statements: [...traced.step.statements] };
    for (let next = out[i + 1]; next && foldable(next, steps, table); next = out[i + 1]) {
      // a destructive step is acknowledged by its path: one path per step, so two losses stay two steps
      if (next.step.destructive) {
        if (merged.destructive && merged.path !== next.step.path) break;
        merged.destructive = true;
        if (next.step.path) merged.path = next.step.path;
      }
      merged.statements.push(...next.step.statements);
      merged.description += `; ${next.step.description}`;
      if (next.step.rewritesTable) merged.rewritesTable = true;
      i += 1;
    }
    folded.push({ ...traced, step: merged });
  }
  return folded;
}

function foldable(next: Traced, steps: readonly SqlStep[], table: string): boolean {
  const origin = steps[next.origin];
  return (
    origin !== undefined &&
    // an enum's CHECK swapped without a table copy joins them: from the catch-up on, the old code's writes of
    // a removed value fail instead of landing untransformed
    (CONTRACT.has(origin.kind) || (origin.kind === 'alterColumnType' && !next.step.rewritesTable)) &&
    'table' in origin &&
    origin.table === table &&
    next.step.transactional &&
    !next.step.backfill &&
    !next.step.catchUp &&
    !next.step.verify &&
    !next.step.recreateTriggersOf
  );
}

/**
 * The steps after a synced backfill that need a catch-up before them, the last of which stops the log:
 * each NOT NULL on a synced column (its rows must all have their values first), and the first step that
 * changes the table's columns otherwise (a drop, a rename, a type change: from there the log's rows can no
 * longer be computed as the backfill did). Without such a step the log stops at the last NOT NULL, or at
 * the end of the migration — always at the end when columns are rewritten in place: the old code keeps
 * writing them in the old form until the migration is done, and only a catch-up can transform those
 * writes (the end's catch-up shares the transaction that records the migration where DDL is transactional).
 * A swap of a synced enum column's CHECK (values removed) is a point like a NOT NULL: every write before it
 * is transformed, and from it on the old code's writes of a removed value fail (a CHECK swap keeps the
 * columns, so the log goes on to the drops and renames that follow, which the final catch-up guards).
 */
function catchUpPoints(
  steps: readonly SqlStep[],
  backfill: number,
  table: string,
  synced: Set<string>,
  options: { inPlace: boolean; swapsCheck: (step: SqlStep) => boolean },
): number[] {
  const points: number[] = [];
  for (let i = backfill + 1; i < steps.length; i++) {
    const step = steps[i] as SqlStep;
    if (!('table' in step) || step.table !== table || KEEPS_SYNC.has(step.kind)) continue;
    if (step.kind === 'backfill' && !Object.keys(step.set).some((c) => synced.has(c))) continue;
    if (step.kind === 'setNotNull' || options.swapsCheck(step)) {
      if ('column' in step && synced.has(step.column)) points.push(i);
      continue;
    }
    points.push(i);
    return points;
  }
  return points.length > 0 && !options.inPlace ? points : [...points, steps.length];
}

/** Columns of a backfill that a later step sets NOT NULL (following renames of the column and the table). */
function requiredColumns(steps: readonly SqlStep[], backfill: number, columns: readonly string[]): string[] {
  const start = steps[backfill];
  if (start?.kind !== 'backfill') return [];
  return columns.filter((column) => {
    let table = start.table;
    let name = column;
    for (const step of steps.slice(backfill + 1)) {
      if (!('table' in step) || step.table !== table) continue;
      if (step.kind === 'renameTable') table = step.to;
      else if (step.kind === 'renameColumn' && step.column === name) name = step.to;
      else if (step.kind === 'setNotNull' && step.column === name) return true;
      else if ((step.kind === 'dropColumn' && step.column === name) || step.kind === 'dropTable')
        return false;
    }
    return false;
  });
}
