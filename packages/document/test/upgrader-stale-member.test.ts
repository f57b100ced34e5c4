// Found by upgrader-fuzz-differential.test.ts: a stored member that no version of the document has yet,
// named as a member a later step creates at the top level (an add, a rename's or a plunge's target). Run
// on its own copy, a step declares the members it creates as absent (replacing the stale one); run in
// place on the chain's working copy it used to keep the stale value, so the generated chain and the
// interpreter disagreed (one refused the document as invalid, the other upgraded it).
import { deepFreeze, defineModel, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });
const v1 = M({ k: z.string(), a: z.number().optional() });

const CASES: Array<{ name: string; schemas: typeof SCHEMAS; doc: Row; expected: Row }> = [
  {
    name: 'an optional member added',
    schemas: [
      { models: [v1] },
      { models: [M({ k: z.string(), a: z.number().optional(), h: z.number().optional() })] },
    ],
    doc: { _id: 1, _v: 1, k: 'x', h: 'stale' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a rename onto it',
    schemas: [
      { models: [v1] },
      { models: [M({ k: z.string(), b: z.number().optional() })], renames: { 'M.a': 'b' } },
    ],
    doc: { _id: 1, _v: 1, k: 'x', b: 'stale' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a plunge into it',
    schemas: [
      { models: [v1] },
      {
        models: [M({ k: z.string(), h: z.object({ a: z.number().optional() }).optional() })],
        renames: { 'M.a': 'h.a' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x', h: 'stale' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
];

describe('a stored member named as one a later step creates', () => {
  for (const { name, schemas, doc, expected } of CASES) {
    it(`${name}: replaced, by the generated chain, the interpreter and each step on its own copy alike`, () => {
      const built = buildHistory(schemas);
      for (const migrations of [built.generated, built.interpreted]) {
        const upgrader = createUpgrader({ model: 'M', migrations });
        expect(upgrader.upgrade(deepFreeze(structuredClone(doc)))).toStrictEqual(expected);
        const step = upgrader.history.steps[0]!;
        const pure = step.up(structuredClone(doc), step.transforms, false);
        const owned = step.up(structuredClone(doc), step.transforms, true);
        expect(JSON.stringify(owned)).toBe(JSON.stringify(pure));
      }
    });
  }
});
