import type { FieldSnapshot } from '@evolve/core';
import type { DocOp } from './step-plan.ts';

const firstKeys = (op: DocOp): string[] =>
  op.op === 'move' ? [op.from[0] as string, op.to[0] as string] : [op.path[0] as string];

/** The top-level members a step declares in its first copy of the document. */
export interface StepKeys {
  /**
   * Keys the step removes or moves away, mentioned by that one op only: the copy starts with them
   * `undefined` (absent), and a move reads the value from `old`.
   */
  detached: string[];
  /** Keys the step creates (absent before it): the copy declares them up front. */
  fresh: string[];
}

/**
 * Which top-level members a step declares in its copy (`{ ...old, title: undefined, name: undefined }`).
 * Declaring them in the literal keeps V8 on its fast path: adding or deleting members on a spread copy
 * is many times slower than copying, and an upgrade chain copies each document once per step.
 */
export function stepKeys(ops: readonly DocOp[], before: Record<string, FieldSnapshot>): StepKeys {
  const mentions = new Map<string, number>();
  for (const op of ops) {
    if (op.op === 'note') continue;
    for (const key of new Set(firstKeys(op))) mentions.set(key, (mentions.get(key) ?? 0) + 1);
  }
  const detached: string[] = [];
  const fresh: string[] = [];
  for (const op of ops) {
    const key =
      op.op === 'remove' && op.path.length === 1
        ? op.path[0]
        : op.op === 'move' && op.from.length === 1 && op.to[0] !== op.from[0]
          ? op.from[0]
          : undefined;
    if (key !== undefined && mentions.get(key) === 1 && !detached.includes(key)) detached.push(key);
    const created =
      op.op === 'move' ? op.to[0] : op.op === 'add' && op.path.length === 1 ? op.path[0] : undefined;
    if (created !== undefined && !Object.hasOwn(before, created) && !fresh.includes(created))
      fresh.push(created);
  }
  return { detached, fresh: fresh.filter((k) => !detached.includes(k)) };
}

/** Whether an op's top-level key was detached (so it reads from `old`, or has nothing left to do). */
export function isDetached(op: DocOp, detached: readonly string[]): boolean {
  if (op.op === 'remove') return op.path.length === 1 && detached.includes(op.path[0] as string);
  if (op.op === 'move') return op.from.length === 1 && detached.includes(op.from[0] as string);
  return false;
}
