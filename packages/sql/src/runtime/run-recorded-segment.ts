import type { Kysely } from 'kysely';
import { appliedEarlier } from './applied-earlier.ts';
import type { Segment } from './group-steps.ts';
import { jsonText } from './json-param.ts';
import type { RunContext } from './run-context.ts';
import { runStep } from './run-step.ts';
import { insertStepRow, readStatementUnderWay, type StepKey, updateStepRow } from './step-progress.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * Runs a segment whose statements take effect one by one (DDL that commits on its own, or a
 * step that must run outside a transaction), recording in its progress row which statement is under way
 * before that statement runs. A rerun after an interruption (a killed process, a lock timeout) runs the
 * step again from its first statement, as such steps are written for; before a statement up to the one
 * recorded as under way runs again, the dialect clears what an interrupted attempt of it left half-made
 * (`clearInterrupted`, such as the invalid index of a concurrent build). Only a statement up to the one
 * recorded as under way may find its object already there, and only when the object is the one it
 * creates (`confirmApplied`) is that taken as "an earlier attempt of ours applied it": an object that no
 * recorded statement of ours was creating is someone else's, and the step fails.
 * `transaction` wraps the statements in one transaction (DML in them stays atomic; DDL commits anyway).
 */
export async function runRecordedSegment(
  ctx: RunContext,
  segment: Segment,
  key: StepKey,
  options: { transaction: boolean },
): Promise<void> {
  // The furthest statement an earlier attempt had started: those up to it may have taken effect.
  const inFlight = await readStatement(ctx.conn, key);
  if (inFlight === undefined) await insertStepRow(ctx.conn, key, underWay(0));
  let recorded = inFlight ?? 0;
  const run = async (executor: Kysely<any>) => {
    let offset = 0;
    for (const step of segment.steps) {
      const first = offset;
      await runStep(executor, step, ctx.caps, {
        resumeAt: 0,
        async before(i, statement) {
          if (inFlight !== undefined && first + i <= inFlight) {
            await ctx.caps.clearInterrupted?.(executor, statement.sql);
          }
          if (first + i <= recorded) return;
          recorded = first + i;
          await updateStepRow(executor, key, underWay(recorded));
        },
        async applied(error, statement, i) {
          if (inFlight === undefined || first + i > inFlight) return false;
          return appliedEarlier(ctx.caps, executor, error, statement.sql);
        },
      });
      offset += step.statements.length;
    }
    await updateStepRow(executor, key, { status: 'done', checkpoint: null, rowsDone: 0 });
  };
  if (options.transaction) await writeTransaction(ctx, run);
  else await run(ctx.conn);
}

const underWay = (statement: number) =>
  ({ status: 'running', checkpoint: jsonText({ statement }), rowsDone: 0 }) as const;

/**
 * The statement this segment's progress row records as under way; undefined without a row (the segment
 * never started here), 0 when the row names none.
 */
async function readStatement(conn: Kysely<any>, key: StepKey): Promise<number | undefined> {
  const { exists, statement } = await readStatementUnderWay(conn, key);
  if (!exists) return undefined;
  return statement !== undefined && statement >= 0 ? statement : 0;
}
