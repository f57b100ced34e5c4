import { ELEMENT } from './doc-ops/edit-path.ts';
import type { HistoryStep } from './model-history.ts';

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
const strip = (p: readonly string[]) => p.filter((s) => s !== ELEMENT);

/**
 * Older stored paths of a current field path through a model's steps (its moves and renames), newest
 * first; cached per path.
 *
 * @example
 * const aliases = fieldAliases(history.steps);
 * aliases('fullName'); // ['name']
 */
export function fieldAliases(steps: readonly HistoryStep[]): (path: string) => string[] {
  const cache = new Map<string, string[]>();
  return (path) => {
    const cached = cache.get(path);
    if (cached) return cached;
    const found: string[] = [];
    let current = path.split('.');
    for (let i = steps.length - 1; i >= 0; i--) {
      const ops = (steps[i] as HistoryStep).plan.up;
      for (let j = ops.length - 1; j >= 0; j--) {
        const op = ops[j];
        if (op?.op !== 'move') continue;
        const to = strip(op.to);
        if (!isPrefix(to, current)) continue;
        current = [...strip(op.from), ...current.slice(to.length)];
        const text = current.join('.');
        if (text !== path && !found.includes(text)) found.push(text);
      }
    }
    cache.set(path, found);
    return found;
  };
}
