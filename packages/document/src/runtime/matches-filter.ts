import { compareValues, valuesEqual } from './compare-values.ts';
import { type Filter, type FilterNode, parseFilter } from './filter.ts';
import { readPath } from './read-path.ts';

function sameClass(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof a === 'bigint') return typeof b === 'number' || typeof b === 'bigint';
  if (a instanceof Date) return b instanceof Date;
  return typeof a === typeof b && a !== null && b !== null;
}

function equalsOrContains(stored: unknown, value: unknown): boolean {
  if (value === null) return stored === undefined || stored === null;
  if (valuesEqual(stored, value)) return true;
  // MongoDB semantics: `{ tags: 'a' }` matches an array that contains 'a'.
  return Array.isArray(stored) && !Array.isArray(value) && stored.some((x) => valuesEqual(x, value));
}

function compares(stored: unknown, value: unknown, test: (c: number) => boolean): boolean {
  const candidates = Array.isArray(stored) ? stored : [stored];
  return candidates.some((x) => sameClass(x, value) && test(compareValues(x, value)));
}

function matchesNode(doc: unknown, node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => matchesNode(doc, c));
    case 'or':
      return node.children.some((c) => matchesNode(doc, c));
    case 'nor':
      return !node.children.some((c) => matchesNode(doc, c));
    case 'field': {
      const stored = readPath(doc, node.path);
      switch (node.op) {
        case 'eq':
          return equalsOrContains(stored, node.value);
        case 'ne':
          return !equalsOrContains(stored, node.value);
        case 'gt':
          return compares(stored, node.value, (c) => c > 0);
        case 'gte':
          return compares(stored, node.value, (c) => c >= 0);
        case 'lt':
          return compares(stored, node.value, (c) => c < 0);
        case 'lte':
          return compares(stored, node.value, (c) => c <= 0);
        case 'in':
          return (node.value as unknown[]).some((v) => equalsOrContains(stored, v));
        case 'nin':
          return !(node.value as unknown[]).some((v) => equalsOrContains(stored, v));
        case 'exists':
          return (stored !== undefined) === Boolean(node.value);
      }
    }
  }
}

/**
 * Evaluates a filter against a document in memory, with MongoDB's semantics for the supported subset
 * (typed comparisons, `null` matching a missing field, equality matching an array element).
 *
 * @example
 * matchesFilter({ a: { b: 2 } }, { 'a.b': { $gte: 2 } }) // true
 */
export function matchesFilter(doc: unknown, filter: Filter): boolean {
  return matchesNode(doc, parseFilter(filter));
}

export { matchesNode };
