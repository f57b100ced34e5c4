import type { CompiledStep } from '../compiled-step.ts';
import { createdTables, statementTables } from './statement-tables.ts';

/**
 * A unit of execution and of progress recording: consecutive transactional steps share one transaction
 * where DDL is transactional, as long as they lock one application table; a backfill or a
 * non-transactional step stands alone. `first` (the index of its first step) keys its progress row.
 */
export interface Segment {
  kind: 'transaction' | 'plain' | 'backfill';
  first: number;
  steps: CompiledStep[];
}

/**
 * Splits a migration's steps into segments. Pure and deterministic, so a rerun finds the same segments.
 *
 * One transaction never holds locks on two of the application's tables: the application takes row locks
 * across tables in both orders (an insert into a child locks its parent's row for the foreign key, a
 * delete from a parent checks its children), so a transaction that altered `customers` and then waited to
 * alter `items` would deadlock with an insert into `items` waiting for `customers` — and the database
 * would pick one of the two to fail, possibly the application's statement. Holding one table at a time,
 * the migration only ever waits on one lock and holds none the application waits for meanwhile. Tables
 * created in the same transaction and evolve's own tables (`evolve_*`, `_evolve_*`) are not contended and
 * do not count.
 *
 * @example
 * const email = { type: { kind: 'string' }, nullable: true } as const;
 * const steps = compileSqlSteps(
 *   [addColumn('users', 'email', email), backfill('User', { email: { value: '' } }), setNotNull('users', 'email')],
 *   { dialect: dialectOf(db), before },
 * );
 * groupSteps(steps, { transactionalDdl: true }); // 3 segments
 */
export function groupSteps(
  steps: readonly CompiledStep[],
  options: { transactionalDdl: boolean },
): Segment[] {
  const segments: Segment[] = [];
  let locked = new Set<string>();
  let created = new Set<string>();
  steps.forEach((step, index) => {
    const kind = step.backfill ? 'backfill' : step.transactional ? 'transaction' : 'plain';
    const open = segments.at(-1);
    const touched = stepTables(step);
    const fresh = createdTables(step.statements);
    if (kind === 'transaction' && options.transactionalDdl && open?.kind === 'transaction') {
      const joined = new Set([...locked, ...touched].filter((t) => !created.has(t)));
      if (joined.size <= 1) {
        open.steps.push(step);
        locked = joined;
        for (const table of fresh) created.add(table);
        return;
      }
    }
    segments.push({ kind, first: index, steps: [step] });
    created = new Set(fresh);
    locked = new Set(touched.filter((t) => !created.has(t)));
  });
  return segments;
}

const INTERNAL = /^_?evolve_/;

/** The application tables a step's statements lock (a catch-up's table too). */
function stepTables(step: CompiledStep): string[] {
  const tables = statementTables(step.statements);
  if (step.catchUp) tables.push(step.catchUp.backfill.table);
  return [...new Set(tables)].filter((t) => !INTERNAL.test(t));
}
