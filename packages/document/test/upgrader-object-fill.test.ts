// Found by upgrader-fuzz-differential.test.ts: a nested object made nullable, then a downgrade: `down`
// fills a null with the type's empty value, an object. Where the edit is not written out (a member named
// like an Object.prototype one is on the path, or two arrays), the generated helper call wrote it as
// `() => { c: '' }`, a block with a label that returns nothing, so the generated downgrade left the member
// absent (and refused the document) where the interpreter filled `{ c: '' }`.
import { deepFreeze, defineModel } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });
const HISTORY: typeof SCHEMAS = [
  { models: [M({ h: z.object({ valueOf: z.object({ c: z.string() }) }) })] },
  { models: [M({ h: z.object({ valueOf: z.object({ c: z.string() }).nullable() }) })] },
];

describe('a downgrade that fills a nested null with an empty object', () => {
  const built = buildHistory(HISTORY);
  it('is written as an object literal the arrow returns', () => {
    expect(built.sources[1]).toContain("() => ({ c: '' })");
  });
  for (const [which, migrations] of [
    ['generated', built.generated],
    ['interpreted', built.interpreted],
  ] as const) {
    it(`${which}: fills { c: '' }`, () => {
      const upgrader = createUpgrader({ model: 'M', migrations });
      const doc = deepFreeze({ _id: 1, _v: 2, h: { valueOf: null } });
      expect(upgrader.downgrade(doc, 1)).toStrictEqual({ _id: 1, h: { valueOf: { c: '' } }, _v: 1 });
    });
  }
});
