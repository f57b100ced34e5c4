// Found by upgrader-fuzz-differential.test.ts: a chain that copies only what it edits follows a nested
// rename back to copy the object it moved (`o.c`). When the stored document has no `o.c` but already has
// an `o.a` (a member its version does not describe), the rename leaves that `o.a` in place and the later
// edit inside `o.a` (the drop of `o.a.x`) wrote into the caller's document: the upgrade mutated its input.
// Since then a nested rename whose source is missing clears its target, as a top-level one does
// (upgrader-nested-rename-stale.test.ts): the stale `o.a` is dropped, and still never written to.
import { deepFreeze, defineModel } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });
const inner = z.object({ x: z.string().optional() }).optional();
const HISTORY: typeof SCHEMAS = [
  { models: [M({ o: z.object({ c: inner }) })] },
  { models: [M({ o: z.object({ a: inner }) })], renames: { 'M.o.c': 'o.a' } },
  { models: [M({ o: z.object({ a: z.object({}).optional() }) })], drops: ['M.o.a.x'] },
];

describe('an edit inside a rename target the stored document already has', () => {
  const built = buildHistory(HISTORY);
  for (const [which, migrations] of [
    ['generated', built.generated],
    ['interpreted', built.interpreted],
  ] as const) {
    it(`${which}: edits a copy, never the input`, () => {
      const upgrader = createUpgrader({ model: 'M', migrations });
      const doc = { _id: 1, _v: 1, o: { a: { x: 'stale' } } };
      expect(upgrader.upgrade(doc)).toStrictEqual({ _id: 1, o: {}, _v: 3 });
      expect(doc).toStrictEqual({ _id: 1, _v: 1, o: { a: { x: 'stale' } } });
      // frozen, the same (a write into it would throw or be lost)
      expect(upgrader.upgrade(deepFreeze(structuredClone(doc)))).toStrictEqual({ _id: 1, o: {}, _v: 3 });
    });
  }
});
