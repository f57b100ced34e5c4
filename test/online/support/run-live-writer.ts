import type { Row } from '@evolve/core';
import type { Kysely } from 'kysely';
import { seededRandom } from '../../reliability/support/seeded-random.ts';
import { type Counter, columnValue, counterFrom, newRow, toDriverRow, toDriverValue } from './live-values.ts';
import type { LiveTable, LiveWriterPlan } from './live-writer-plan.ts';

/** One statement of the old application, as it saw it. */
export interface LiveOp {
  kind: 'insert' | 'update' | 'delete';
  table: string;
  /** The row's primary key (its values before an update). */
  key: Row;
  /** The columns written (every column for an insert, one for an update), as the application holds them. */
  values?: Row;
  /** Wall-clock milliseconds (`wallClock()`), comparable across processes on this machine. */
  startedAt: number;
  endedAt: number;
  /** The driver's message when the statement failed (it then changed nothing: each runs on its own). */
  error?: string;
}

export interface LiveWriterPace {
  /** Statements per second over all workers. */
  ratePerSecond: number;
  /** Concurrent statements (each on a connection of its own where the pool has enough). */
  workers: number;
  /** Seed of the choices (table, statement kind, row). */
  seed: number;
}

/** Milliseconds since the epoch with sub-millisecond resolution, the same clock in every process. */
export const wallClock = () => performance.timeOrigin + performance.now();

export const keyText = (key: readonly string[], row: Row) => JSON.stringify(key.map((k) => row[k]));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish);
  });
}

interface TableState {
  plan: LiveTable;
  keys: Row[];
  /** The rows it may delete: every row, or (in a table a foreign key points at) those it inserted. */
  deletable: Row[];
  /** Keys with a statement in flight: one statement per row at a time, so the order of writes is known. */
  busy: Set<string>;
  /** Integer keys in use or used before, for inserts between existing keys (absent: only above them). */
  taken?: Set<number>;
  highest: number;
}

/** The single integer key column of a table, if that is its key. */
const integerKey = (table: LiveTable) => {
  const [key, more] = table.key;
  const column = table.columns.find((c) => c.column === key);
  return !more && column?.type.kind === 'number' && column.type.integer ? key : undefined;
};

/**
 * The old application's write loop: inserts, updates (one column at a time) and deletes at a steady rate
 * on `db` until `signal` aborts, and returns every statement with its timing and outcome. A failing
 * statement is recorded, never thrown: the application keeps going.
 */
export async function runLiveWriter(
  db: Kysely<any>,
  dialect: string,
  plan: LiveWriterPlan,
  pace: LiveWriterPace,
  signal: AbortSignal,
  onOp?: (op: LiveOp) => void,
): Promise<LiveOp[]> {
  const random = seededRandom(pace.seed);
  const next: Counter = counterFrom(plan.counterStart);
  const mix = plan.mix ?? { insert: 3, update: 5, delete: 2 };
  const tables: TableState[] = plan.tables.map((t) => {
    const key = integerKey(t);
    const ids = key ? t.keys.map((k) => Number(k[key])) : [];
    return {
      plan: t,
      keys: [...t.keys],
      deletable: t.referenced ? [] : [...t.keys],
      busy: new Set(),
      ...(key && t.insertBetween ? { taken: new Set(ids) } : {}),
      highest: Math.max(0, ...ids),
    };
  });
  const ops: LiveOp[] = [];

  const free = (state: TableState, list: Row[]): Row | undefined => {
    for (let attempt = 0; attempt < 8 && list.length > 0; attempt++) {
      const row = list[random.int(0, list.length - 1)] as Row;
      if (!state.busy.has(keyText(state.plan.key, row))) return row;
    }
    return undefined;
  };
  const where = (state: TableState, key: Row) => (qb: any) =>
    state.plan.key.reduce((q, k) => q.where(k, '=', toDriverValue(key[k] as never, dialect)), qb);

  const choose = (): { state: TableState; kind: LiveOp['kind']; key: Row; values?: Row } | undefined => {
    const state = random.pick(tables);
    const roll = random.next() * (mix.insert + mix.update + mix.delete);
    const writable = state.plan.columns.filter((c) => !state.plan.key.includes(c.column));
    if (roll >= mix.insert + mix.update) {
      const key = free(state, state.deletable);
      if (key) return { state, kind: 'delete', key };
    }
    if (roll >= mix.insert && writable.length > 0) {
      const key = free(state, state.keys);
      const column = random.pick(writable);
      if (key) return { state, kind: 'update', key, values: { [column.column]: columnValue(column, next) } };
    }
    const values = newRow(state.plan, next);
    // Half the inserts take a free integer key between existing ones, where a backfill may have passed.
    const between = state.taken && random.next() < 0.5 ? freeKeyBelow(state) : undefined;
    const column = integerKey(state.plan);
    if (between !== undefined && column) values[column] = between;
    const key = Object.fromEntries(state.plan.key.map((k) => [k, values[k]]));
    return { state, kind: 'insert', key, values };
  };

  const freeKeyBelow = (state: TableState): number | undefined => {
    for (let attempt = 0; attempt < 16; attempt++) {
      const id = random.int(1, state.highest);
      if (state.taken?.has(id)) continue;
      // Reserved at once, so that two workers never pick the same key (nor reuse a deleted one).
      state.taken?.add(id);
      return id;
    }
    return undefined;
  };

  const execute = async (choice: NonNullable<ReturnType<typeof choose>>) => {
    const { state, kind, key, values } = choice;
    const table = state.plan.table;
    if (kind === 'insert') {
      await db
        .insertInto(table)
        .values(toDriverRow(values ?? {}, dialect))
        .execute();
    } else if (kind === 'update') {
      await db
        .updateTable(table)
        .set(toDriverRow(values ?? {}, dialect))
        .$call(where(state, key))
        .execute();
    } else {
      await db.deleteFrom(table).$call(where(state, key)).execute();
    }
  };

  const worker = async () => {
    const interval = (pace.workers / pace.ratePerSecond) * 1000;
    let due = wallClock();
    while (!signal.aborted) {
      const wait = due - wallClock();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) break;
      // Steady pace; after a stall the next statement goes at once, without a catch-up burst.
      due = Math.max(due + interval, wallClock());
      const choice = choose();
      if (!choice) continue;
      const id = keyText(choice.state.plan.key, choice.key);
      choice.state.busy.add(id);
      const op: LiveOp = {
        kind: choice.kind,
        table: choice.state.plan.table,
        key: choice.key,
        ...(choice.values ? { values: choice.values } : {}),
        startedAt: wallClock(),
        endedAt: 0,
      };
      try {
        await execute(choice);
        if (op.kind === 'insert') {
          choice.state.keys.push(op.key);
          choice.state.deletable.push(op.key);
        } else if (op.kind === 'delete') {
          const other = (k: Row) => keyText(choice.state.plan.key, k) !== id;
          choice.state.deletable = choice.state.deletable.filter(other);
          choice.state.keys = choice.state.keys.filter(other);
        }
      } catch (error) {
        op.error = (error as Error)?.message ?? String(error);
      } finally {
        op.endedAt = wallClock();
        choice.state.busy.delete(id);
      }
      ops.push(op);
      onOp?.(op);
    }
  };
  await Promise.all(Array.from({ length: pace.workers }, worker));
  return ops;
}
