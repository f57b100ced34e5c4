// A rename (or move) whose source member is missing leaves its target absent. A top-level rename always
// did (`out.c = out.a`, and the step declares the members it creates absent: upgrader-stale-member.test.ts);
// a nested one, or a move into a nested object, kept a member the stored document already had under the
// new name (one its version does not describe), so `{ o: { c: 'stale' } }` upgraded to
// `{ o: { c: 'stale' } }` through a rename of `o.a` to `o.c` while `{ c: 'stale' }` upgraded to `{}`
// through a rename of `a` to `c`. Generated and interpreted steps agreed; both now clear the target.
import { deepFreeze, defineModel, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clean } from '../src/upgrader/doc-ops/clean.ts';
import { createUpgrader } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });
const text = z.string().optional();

const CASES: Array<{ name: string; schemas: typeof SCHEMAS; doc: Row; expected: Row }> = [
  {
    name: 'a top-level rename (as it always was)',
    schemas: [
      { models: [M({ k: z.string(), a: text })] },
      { models: [M({ k: z.string(), c: text })], renames: { 'M.a': 'c' } },
    ],
    doc: { _id: 1, _v: 1, k: 'x', c: 'stale' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a rename inside an object',
    schemas: [
      { models: [M({ k: z.string(), o: z.object({ a: text }) })] },
      { models: [M({ k: z.string(), o: z.object({ c: text }) })], renames: { 'M.o.a': 'o.c' } },
    ],
    doc: { _id: 1, _v: 1, k: 'x', o: { c: 'stale' } },
    expected: { _id: 1, k: 'x', o: {}, _v: 2 },
  },
  {
    name: 'a rename inside array elements',
    schemas: [
      { models: [M({ k: z.string(), l: z.array(z.object({ a: text })) })] },
      {
        models: [M({ k: z.string(), l: z.array(z.object({ c: text })) })],
        renames: { 'M.l.[].a': 'l.[].c' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x', l: [{ c: 'stale' }, { a: 'v' }] },
    expected: { _id: 1, k: 'x', l: [{}, { c: 'v' }], _v: 2 },
  },
  {
    name: 'a move into an object the document has',
    schemas: [
      { models: [M({ k: z.string(), a: text, h: z.object({ n: z.string() }) })] },
      {
        models: [M({ k: z.string(), h: z.object({ n: z.string(), a: text }) })],
        renames: { 'M.a': 'h.a' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x', h: { n: 'n', a: 'stale' } },
    expected: { _id: 1, k: 'x', h: { n: 'n' }, _v: 2 },
  },
  {
    name: 'a move from one object into another',
    schemas: [
      { models: [M({ k: z.string(), o: z.object({ a: text }), p: z.object({ n: z.string() }) })] },
      {
        models: [M({ k: z.string(), o: z.object({}), p: z.object({ n: z.string(), a: text }) })],
        renames: { 'M.o.a': 'p.a' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x', o: {}, p: { n: 'n', a: 'stale' } },
    expected: { _id: 1, k: 'x', o: {}, p: { n: 'n' }, _v: 2 },
  },
];

describe('a rename whose source is missing clears a stale member at its target', () => {
  for (const { name, schemas, doc, expected } of CASES) {
    const built = buildHistory(schemas);
    for (const [which, migrations] of [
      ['generated', built.generated],
      ['interpreted', built.interpreted],
    ] as const) {
      it(`${name}, ${which}: by the chain, and by the step on its own copy or in place`, () => {
        const upgrader = createUpgrader({ model: 'M', migrations });
        const input = deepFreeze(structuredClone(doc));
        expect(upgrader.upgrade(input)).toStrictEqual(expected);
        const step = upgrader.history.steps[0]!;
        for (const owned of [false, true]) {
          const out = step.up(owned ? structuredClone(doc) : input, step.transforms, owned);
          expect(clean(out)).toStrictEqual({ ...expected, _v: 1 });
        }
      });
    }
  }
});
