import type { Row } from '@evolve/core';
import { compareValues } from './compare-values.ts';
import type { SortSpec } from './document-store.ts';
import { readPath } from './read-path.ts';

/** A comparator ordering documents by a sort spec (`{ age: -1, _id: 1 }`), ties broken by `_id`. */
export function sortComparator(sort: SortSpec): (a: Row, b: Row) => number {
  const keys = Object.entries(sort);
  if (!('_id' in sort)) keys.push(['_id', 1]);
  return (a, b) => {
    for (const [path, direction] of keys) {
      const c = compareValues(readPath(a, path), readPath(b, path));
      if (c !== 0) return c * direction;
    }
    return 0;
  };
}
