import { objectArbitrary, type Row } from '@evolve/core';
import fc from 'fast-check';
import type { DocumentUpgrader } from '../upgrader/create-upgrader.ts';

/**
 * `count` documents of the model as it was at `version`, drawn from its snapshot (every value one the
 * version's schema accepts) with a fixed seed, and stamped with that version. Pure for a given seed.
 *
 * @example
 * const docs = syntheticDocuments(upgrader, { version: 1, count: 200, seed: 42 });
 * docs[0]?._v; // 1
 */
export function syntheticDocuments(
  upgrader: DocumentUpgrader,
  options: { version: number; count: number; seed: number },
): Row[] {
  const arbitrary = objectArbitrary(upgrader.shapeAt(options.version).fields);
  return fc
    .sample(arbitrary, { numRuns: options.count, seed: options.seed })
    .map((doc): Row => ({ ...doc, [upgrader.versionField]: options.version }));
}
