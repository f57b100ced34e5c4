import { EvolveError } from '@evolve/core';

/**
 * The deepest nesting a stored document may have: MongoDB's limit (100 levels of embedded documents and
 * arrays), well inside the SQL dialects' JSON functions (1 000 levels at least) and far from the call stack of a recursive copy.
 */
export const MAX_DOCUMENT_DEPTH = 100;

/**
 * Refuses a document nested deeper than `MAX_DOCUMENT_DEPTH` with VALIDATION_FAILED naming its id, before it
 * is written: stored, it would fail later reads or sweeps with an engine error that names no document.
 * Iterative, so a pathological document cannot overflow the stack here either.
 *
 * @example
 * checkDepth({ _id: 'a', x: { y: 1 } }); // fine: depth 2
 */
export function checkDepth(doc: object, id: unknown = (doc as { _id?: unknown })._id): void {
  const stack: Array<[unknown, number]> = [[doc, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_DOCUMENT_DEPTH) {
      throw new EvolveError(
        'VALIDATION_FAILED',
        `document ${JSON.stringify(String(id))} is nested more than ${MAX_DOCUMENT_DEPTH} levels deep; evolve refuses to store it`,
        { path: String(id), details: { id: String(id), maxDepth: MAX_DOCUMENT_DEPTH } },
      );
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    for (const member of Object.values(value)) {
      if (typeof member === 'object' && member !== null) stack.push([member, depth + 1]);
    }
  }
}
