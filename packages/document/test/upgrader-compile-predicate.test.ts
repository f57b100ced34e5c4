// The compiled validator tests a small enum by comparing values one by one and a large one with a Set:
// both must accept exactly what zod accepts.
import { defineModel, defineSchema, toSnapshot } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileValidator, zodFromSnapshot } from '../src/upgrader/index.ts';

const fieldsOf = (values: [string, ...string[]]) => {
  const model = defineModel('E', { target: 'document', shape: { s: z.enum(values) } });
  return toSnapshot(defineSchema([model])).models.E?.fields ?? {};
};

describe('compiled enum checks', () => {
  for (const values of [
    ['open', 'closed', 'it\'s "quoted"'],
    Array.from({ length: 12 }, (_, i) => `v${i}`),
  ] as Array<[string, ...string[]]>) {
    it(`accept exactly the values zod accepts (${values.length} values)`, () => {
      const fields = fieldsOf(values);
      const check = compileValidator(fields);
      const schema = zodFromSnapshot({ fields });
      fc.assert(
        fc.property(fc.oneof(fc.constantFrom(...values), fc.string(), fc.anything()), (s) => {
          expect(check({ s }) === undefined).toBe(schema.safeParse({ s }).success);
        }),
        { numRuns: 300 },
      );
      expect(check({ s: values[0] })).toBeUndefined();
      expect(check({ s: 'nope' })?.path).toStrictEqual(['s']);
    });
  }
});
