import type { Transforms } from '@evolve/core';
import { type Kysely, sql } from 'kysely';
import type { BackfillPlan, CompiledStep } from '../src/index.ts';

/** Runs a backfill plan row by row (a stand-in for the runner's batched executor, for small test tables). */
async function runBackfill(db: Kysely<any>, plan: BackfillPlan, transforms: Transforms): Promise<void> {
  const rows = await db.selectFrom(plan.table).selectAll().execute();
  for (const row of rows) {
    // JSON text columns (SQLite, MariaDB) are read back as the values they hold
    const parse = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v);
    const old = Object.fromEntries(
      Object.entries(plan.read).map(([field, column]) => [field, parse(row[column])]),
    );
    const values: Record<string, unknown> = {};
    for (const [column, source] of Object.entries(plan.set)) {
      if (plan.onlyNull?.includes(column) && row[column] !== null) continue;
      let value: unknown;
      if ('value' in source) value = source.value;
      else if ('expression' in source) value = sql.raw(source.expression);
      else {
        const fn = transforms[source.transform.model]?.[source.transform.field];
        if (!fn) throw new Error(`no transform ${source.transform.model}.${source.transform.field}`);
        value = fn(old);
        const path = source.transform.path;
        if (path && path.length > 0) {
          // a nested field of a JSON column: set it inside the current value
          const current = row[column];
          const doc = structuredClone(typeof current === 'string' ? JSON.parse(current) : (current ?? {}));
          let at = doc;
          for (const key of path.slice(0, -1)) at = at[key] ??= {};
          at[path[path.length - 1] as string] = value;
          value = doc;
        }
      }
      values[column] =
        value !== null && typeof value === 'object' && !('toOperationNode' in value)
          ? JSON.stringify(value)
          : value;
    }
    if (Object.keys(values).length === 0) continue;
    let update = db.updateTable(plan.table).set(values);
    for (const key of plan.key) update = update.where(key, '=', row[key]);
    await update.execute();
  }
}

/**
 * Executes compiled steps the way the runner's contract says (transactional groups per step, verify
 * queries, SQLite triggers recreated after a rebuild, backfills) — enough to test plans on real engines.
 */
export async function runCompiled(
  db: Kysely<any>,
  steps: readonly CompiledStep[],
  options: { transforms?: Transforms } = {},
): Promise<void> {
  for (const step of steps) {
    if (step.backfill) {
      await runBackfill(db, step.backfill, options.transforms ?? {});
      continue;
    }
    const triggers = step.recreateTriggersOf
      ? (
          await sql<{
            sql: string;
          }>`select sql from sqlite_master where type = 'trigger' and tbl_name = ${step.recreateTriggersOf}`.execute(
            db,
          )
        ).rows.map((r) => r.sql)
      : [];
    // nothing writes concurrently here: a catch-up only has its change log's triggers and table to drop
    const catchUp = step.catchUp?.final ? [...step.catchUp.disarm, ...step.catchUp.drop] : [];
    const body = async (q: Kysely<any>) => {
      for (const statement of [...catchUp, ...step.statements]) await q.executeQuery(statement);
      for (const trigger of triggers) await sql.raw(trigger).execute(q);
      for (const check of step.verify ?? []) {
        const rows = (await q.executeQuery(check)).rows;
        if (rows.length > 0)
          throw new Error(`verify failed for "${step.description}": ${JSON.stringify(rows)}`);
      }
    };
    if (step.transactional) await db.transaction().execute(body);
    else await body(db);
  }
}
