import type { DocOp } from './doc-op.ts';

const firstKeys = (op: DocOp): string[] =>
  op.op === 'move' ? [op.from[0] as string, op.to[0] as string] : [op.path[0] as string];

/**
 * Top-level keys a step can leave out when it copies the document (`const { title, ...out } = old`)
 * instead of deleting them afterwards: keys that exactly one op mentions, and that op removes the key or
 * moves its value elsewhere. That op then reads the value from `old`. Deleting from a copy would turn it
 * into a slow dictionary-mode object in V8.
 */
export function detachedKeys(ops: readonly DocOp[]): string[] {
  const mentions = new Map<string, number>();
  for (const op of ops) {
    if (op.op === 'note') continue;
    for (const key of new Set(firstKeys(op))) mentions.set(key, (mentions.get(key) ?? 0) + 1);
  }
  const keys: string[] = [];
  for (const op of ops) {
    const key =
      op.op === 'remove' && op.path.length === 1
        ? op.path[0]
        : op.op === 'move' && op.from.length === 1 && op.to[0] !== op.from[0]
          ? op.from[0]
          : undefined;
    if (key !== undefined && mentions.get(key) === 1) keys.push(key);
  }
  return keys;
}

/** Whether an op's top-level key was left out of the copy (so it reads from `old` or does nothing). */
export function isDetached(op: DocOp, detached: readonly string[]): boolean {
  if (op.op === 'remove') return op.path.length === 1 && detached.includes(op.path[0] as string);
  if (op.op === 'move') return op.from.length === 1 && detached.includes(op.from[0] as string);
  return false;
}
