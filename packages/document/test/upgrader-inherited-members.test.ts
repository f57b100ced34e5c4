// A member absent from a document is absent, whatever its name. Named like a member every plain object
// inherits (`constructor`, `toString`, `valueOf`...), a plain read of it finds the inherited function:
// a step run on a stored document renamed, moved, converted or kept that function as the member's value,
// and validation (compiled and zod alike) refused a valid document whose optional `constructor` was
// absent ("expected a string, got function"), so an upgrade, a downgrade or `validate` failed. Found
// with FUZZ_INHERITED=1 in upgrader-fuzz-differential.test.ts (an F1 dataset has a `constructor` field).
import { deepFreeze, defineModel, EvolveError, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clean } from '../src/upgrader/doc-ops/clean.ts';
import { createUpgrader, type DocumentSection } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });
const text = z.string().optional();

/**
 * Each history's stored version 1 document lacks the inherited-named member; `expected`: it at version 2,
 * and `down`: that brought back to version 1 (the document itself unless given).
 */
const CASES: Array<{ name: string; schemas: typeof SCHEMAS; doc: Row; expected: Row; down?: Row }> = [
  {
    name: 'a top-level rename',
    schemas: [
      { models: [M({ k: z.string(), constructor: text })] },
      { models: [M({ k: z.string(), c: text })], renames: { 'M.constructor': 'c' } },
    ],
    doc: { _id: 1, _v: 1, k: 'x' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a nested rename',
    schemas: [
      { models: [M({ k: z.string(), o: z.object({ toString: text }) })] },
      { models: [M({ k: z.string(), o: z.object({ c: text }) })], renames: { 'M.o.toString': 'o.c' } },
    ],
    doc: { _id: 1, _v: 1, k: 'x', o: {} },
    expected: { _id: 1, k: 'x', o: {}, _v: 2 },
  },
  {
    name: 'a rename inside array elements',
    schemas: [
      { models: [M({ k: z.string(), a: z.array(z.object({ valueOf: text })) })] },
      {
        models: [M({ k: z.string(), a: z.array(z.object({ c: text })) })],
        renames: { 'M.a.[].valueOf': 'a.[].c' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x', a: [{}, { valueOf: 'v' }] },
    expected: { _id: 1, k: 'x', a: [{}, { c: 'v' }], _v: 2 },
  },
  {
    name: 'a move into a new object',
    schemas: [
      { models: [M({ k: z.string(), hasOwnProperty: text })] },
      {
        models: [M({ k: z.string(), h: z.object({ isPrototypeOf: text }).optional() })],
        renames: { 'M.hasOwnProperty': 'h.isPrototypeOf' },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a type conversion (number to string)',
    schemas: [
      { models: [M({ k: z.string(), valueOf: z.number().int().optional() })] },
      { models: [M({ k: z.string(), valueOf: text })] },
    ],
    doc: { _id: 1, _v: 1, k: 'x' },
    expected: { _id: 1, k: 'x', _v: 2 },
  },
  {
    name: 'a required member filled in where it is missing',
    schemas: [
      { models: [M({ k: z.string(), toLocaleString: text })] },
      {
        models: [M({ k: z.string(), toLocaleString: z.string() })],
        transforms: { M: { toLocaleString: () => 'd' } },
      },
    ],
    doc: { _id: 1, _v: 1, k: 'x' },
    expected: { _id: 1, k: 'x', toLocaleString: 'd', _v: 2 },
    down: { _id: 1, _v: 1, k: 'x', toLocaleString: 'd' },
  },
];

const hasFunction = (value: unknown): boolean =>
  typeof value === 'function' ||
  (typeof value === 'object' && value !== null && Object.values(value).some(hasFunction));

describe('absent members named like Object.prototype members', () => {
  for (const { name, schemas, doc, expected, down = doc } of CASES) {
    const built = buildHistory(schemas);
    for (const [which, migrations] of [
      ['generated', built.generated],
      ['interpreted', built.interpreted],
    ] as const) {
      it(`${name}, ${which}: upgraded, downgraded and validated as absent`, () => {
        for (const model of ['M', schemas[1]!.models[0]!]) {
          const upgrader = createUpgrader({ model, migrations });
          const up = upgrader.upgrade(deepFreeze(structuredClone(doc)));
          expect(up).toStrictEqual(expected);
          expect(upgrader.downgrade(deepFreeze(up), 1)).toStrictEqual(down);
          expect(() => upgrader.validate(doc, 1)).not.toThrow();
        }
      });

      it(`${name}, ${which}: each step on a stored document reads the member as absent`, () => {
        const upgrader = createUpgrader({ model: 'M', migrations });
        const step = upgrader.history.steps[0]!;
        for (const owned of [false, true]) {
          const out = step.up(structuredClone(doc), step.transforms, owned);
          expect(hasFunction(out)).toBe(false);
          expect(clean(out)).toStrictEqual({ ...expected, _v: 1 });
          const back = step.down(structuredClone({ ...expected, _v: 2 }), Object.create(null), owned);
          expect(clean(back)).toStrictEqual({ ...down, _v: 2 });
        }
      });
    }
  }

  it('a generated step called without its transforms finds none under an inherited name', () => {
    // `t` defaults to `{}`, whose `valueOf` and `constructor` are Object.prototype's
    const cases: Array<{ schemas: typeof SCHEMAS; doc: Row; expected: Row }> = [
      {
        schemas: [
          { models: [M({ k: z.string(), valueOf: z.number().int().optional() })] },
          { models: [M({ k: z.string(), valueOf: text })] },
        ],
        doc: { _id: 1, _v: 1, k: 'x', valueOf: 5 },
        expected: { _id: 1, _v: 1, k: 'x', valueOf: '5' },
      },
      {
        schemas: [{ models: [M({ k: z.string() })] }, { models: [M({ k: z.string(), constructor: text })] }],
        doc: { _id: 1, _v: 1, k: 'x' },
        expected: { _id: 1, _v: 1, k: 'x' },
      },
    ];
    for (const { schemas, doc, expected } of cases) {
      const { generated } = buildHistory(schemas);
      const { up } = (generated[1]!.documents as DocumentSection).M!;
      for (const owned of [false, true]) {
        // called as a test of the migration module calls it: no transforms given
        const direct = up as unknown as (doc: Row, t?: undefined, owned?: boolean) => Row;
        expect(clean(direct(structuredClone(doc), undefined, owned))).toStrictEqual(expected);
      }
    }
  });

  it('validation still refuses a present member of the wrong type', () => {
    const [schemas] = [CASES[0]!.schemas];
    const built = buildHistory(schemas);
    for (const model of ['M', schemas[0]!.models[0]!]) {
      const upgrader = createUpgrader({ model, migrations: built.generated.slice(0, 1) });
      const bad = { _id: 1, _v: 1, k: 'x', constructor: 5 };
      expect(() => upgrader.validate(bad)).toThrow(EvolveError);
      expect(() => upgrader.validate({ _id: 1, _v: 1, k: 'x', constructor: 'c' })).not.toThrow();
    }
  });
});
