import type { Row } from '@evolve/core';
import type { Expectation } from './document-store.ts';

/** The field a document's revision counter lives in unless configured (`_rev`). */
export const DEFAULT_REVISION_FIELD = '_rev';

/** What a compare-and-set expects of a document read as `raw`: the same version field and revision. */
export function expectationOf(raw: Row, versionField: string, revisionField: string): Expectation {
  return { [versionField]: raw[versionField], [revisionField]: raw[revisionField] };
}

/** The revision after one more write. */
export function nextRevision(raw: Row, revisionField: string): number {
  const current = raw[revisionField];
  return (typeof current === 'number' ? current : 0) + 1;
}
