import type { CompiledStep } from '../compiled-step.ts';

/**
 * A unit of execution and of progress recording: consecutive transactional steps share one transaction
 * where DDL is transactional; a backfill or a non-transactional step stands alone. `first` (the index of
 * its first step) keys its progress row.
 */
export interface Segment {
  kind: 'transaction' | 'plain' | 'backfill';
  first: number;
  steps: CompiledStep[];
}

/**
 * Splits a migration's steps into segments. Pure and deterministic, so a rerun finds the same segments.
 *
 * @example
 * groupSteps([addColumn, backfill, setNotNull], { transactionalDdl: true }) // 3 segments
 */
export function groupSteps(
  steps: readonly CompiledStep[],
  options: { transactionalDdl: boolean },
): Segment[] {
  const segments: Segment[] = [];
  steps.forEach((step, index) => {
    const kind = step.backfill ? 'backfill' : step.transactional ? 'transaction' : 'plain';
    const open = segments.at(-1);
    if (kind === 'transaction' && options.transactionalDdl && open?.kind === 'transaction') {
      open.steps.push(step);
      return;
    }
    segments.push({ kind, first: index, steps: [step] });
  });
  return segments;
}
