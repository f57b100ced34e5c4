import type { CompiledStep, SqlDialect } from '../compiled-step.ts';
import { capabilitiesOf, EVERY_DIALECT } from '../dialects/capabilities-for.ts';

/**
 * The lock a step takes on its table, from the application's side: `none` (nothing it does waits),
 * `row` (row locks of one batch at a time), `metadata` (a schema lock held for an instant: queued behind a
 * long transaction it blocks everything queued behind it), `writes` (reads go on, writes wait), `exclusive`
 * (reads and writes wait).
 */
export type StepLock = 'none' | 'row' | 'metadata' | 'writes' | 'exclusive';

/** How long the step holds its lock: the work it does while holding it. */
export type StepHold = 'instant' | 'per batch' | 'table rewrite' | 'index build' | 'validation scan';

/** What one compiled step costs where it runs. */
export interface StepCost {
  description: string;
  lock: StepLock;
  holds: StepHold;
  /** The table it reads or writes, when it touches one. */
  table?: string;
  /** Rows it reads or writes (the table's row count), when the row counts were given. */
  rows?: number;
  /** Estimated seconds at the given rates, for steps whose work grows with the rows. */
  seconds?: number;
}

export interface CostRates {
  /** Rows per second of a batched backfill by SQL (constants and SQL expressions, set-based per batch). */
  backfill: number;
  /** Rows per second of a batched backfill through a TS transform (rows read into the process, written back). */
  transform: number;
  /** Rows per second of a scan under the engine's own loop: index build, table rewrite, validation. */
  scan: number;
}

/**
 * Each dialect's default rates (`DialectCapabilities.cost`, where the figures behind them are noted),
 * measured on a 2-core machine shared with other work against local servers, 100k rows:
 * packages/sql/test/estimate-cost.test.ts (`migrate()` adding, backfilling by a SQL expression and indexing
 * a column) and apps/cli/test/plan-cost.test.ts (`evolve up` of a required field filled by a TS transform,
 * then indexed). Each default sits in the middle of its measured range:
 * the order of magnitude, not a promise (wide rows or a busy server are slower); pass `rates` measured on
 * the real server for better figures.
 */
export const DEFAULT_COST_RATES: Readonly<Record<SqlDialect, CostRates>> = Object.fromEntries(
  EVERY_DIALECT.map((d) => [d.dialect, d.cost.rates]),
) as Record<SqlDialect, CostRates>;

export interface EstimateCostOptions {
  dialect: SqlDialect;
  /** Row counts per table (see `tableRowEstimates`); without them no step has `rows` or `seconds`. */
  rows?: Record<string, number>;
  /** Default: `DEFAULT_COST_RATES[dialect]`. */
  rates?: Partial<CostRates>;
}

const INDEX = /^\s*(create\s+(unique\s+)?index|alter\s+table\s+\S+\s+add\s+(unique\s+)?(index|key))\b/i;
const VALIDATE = /\bvalidate\s+constraint\b/i;
const SETTING = /^\s*(set\s+(local\s+)?\w+\s*=|pragma\b)/i;
const CREATE_TABLE = /^\s*create\s+table\b/i;
const TABLE_OF =
  /\b(?:alter\s+table|update|insert\s+into|delete\s+from|drop\s+table|create\s+table(?:\s+if\s+not\s+exists)?|\bon)\s+[`"]?([^`"\s(]+)[`"]?/i;

/** The first table a statement names (`alter table "t"`, `create index … on "t"`). */
function tableOf(sql: string): string | undefined {
  return TABLE_OF.exec(sql)?.[1];
}

/**
 * What each compiled step costs where it runs: the lock it takes, what it does while holding it, and, given
 * the tables' row counts, the rows it touches and an estimated duration at the given rates. Derived only
 * from what the dialect compiled (backfill plans, `rewritesTable`, concurrent or online index builds,
 * NOT VALID + VALIDATE): durations are estimates of the order of magnitude.
 *
 * @example
 * const costs = estimateCost(compileSqlSteps(steps, { dialect: dialectOf(db), before }), {
 *   dialect: dialectOf(db),
 *   rows: { User: 100_000 },
 * });
 * costs.map((c) => `${c.description}: ${c.lock} lock, ${c.holds}, ~${c.seconds ?? 0} s`);
 */
export function estimateCost(steps: readonly CompiledStep[], options: EstimateCostOptions): StepCost[] {
  const rates = { ...DEFAULT_COST_RATES[options.dialect], ...options.rates };
  return steps.map((step) => {
    const base = classify(step, options.dialect);
    const rows = base.table !== undefined ? options.rows?.[base.table] : undefined;
    if (rows === undefined || base.holds === 'instant') return { description: step.description, ...base };
    const rate =
      base.holds !== 'per batch'
        ? rates.scan
        : Object.values(step.backfill?.set ?? {}).some((source) => 'transform' in source)
          ? rates.transform
          : rates.backfill;
    return { description: step.description, ...base, rows, seconds: rows / rate };
  });
}

function classify(step: CompiledStep, dialect: SqlDialect): Omit<StepCost, 'description'> {
  if (step.backfill) return { lock: 'row', holds: 'per batch', table: step.backfill.table };
  const statements = step.statements.map((s) => s.sql).filter((s) => !SETTING.test(s));
  const table =
    step.recreateTriggersOf ??
    step.catchUp?.backfill.table ??
    statements.map(tableOf).find((t) => t !== undefined);
  const at = table !== undefined ? { table } : {};
  // a catch-up drains the rows written during the backfill under a write lock: few rows, held briefly
  if (step.catchUp) return { lock: 'writes', holds: 'instant', ...at };
  if (step.rewritesTable) {
    return { lock: capabilitiesOf(dialect).cost.rewriteLock, holds: 'table rewrite', ...at };
  }
  const index = statements.find((s) => INDEX.test(s));
  if (index !== undefined) {
    const online = /\bconcurrently\b|\block\s*=\s*none\b/i.test(index);
    return { lock: online ? 'none' : 'writes', holds: 'index build', ...at };
  }
  if (statements.some((s) => VALIDATE.test(s))) return { lock: 'none', holds: 'validation scan', ...at };
  if (statements.length === 0 || statements.every((s) => CREATE_TABLE.test(s))) {
    return { lock: 'none', holds: 'instant', ...at };
  }
  return { lock: capabilitiesOf(dialect).cost.ddlLock, holds: 'instant', ...at };
}
