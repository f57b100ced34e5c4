// The compiled validator tests a small enum by comparing values one by one and a large one with a Set:
// both must accept exactly what zod accepts. So must every other type's test (a negated test once read
// `!typeof x === 'boolean'`, which never fails: any value passed as a boolean, a bigint or a literal).
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

describe('compiled checks of every scalar type', () => {
  const shape = {
    flag: z.boolean(),
    big: z.bigint(),
    yes: z.literal(true),
    word: z.literal('w'),
    int: z.number().int(),
    num: z.number(),
    str: z.string().max(3),
    when: z.date(),
    list: z.array(z.boolean()),
    inner: z.object({ valueOf: z.boolean() }),
  };
  const fields =
    toSnapshot(defineSchema([defineModel('S', { target: 'document', shape })])).models.S?.fields ?? {};
  const check = compileValidator(fields);
  const schema = zodFromSnapshot({ fields });
  const valid = {
    flag: true,
    big: 1n,
    yes: true,
    word: 'w',
    int: 1,
    num: 1.5,
    str: 'abc',
    when: new Date(0),
    list: [false],
    inner: { valueOf: false },
  };

  it('refuse a wrong value in any member, as zod does', () => {
    expect(check(valid)).toBeUndefined();
    for (const [name, wrong] of [
      ['flag', 'yes'],
      ['big', 1],
      ['yes', false],
      ['word', 'x'],
      ['int', 1.5],
      ['num', '1'],
      ['str', 'abcd'],
      ['when', 0],
      ['list', ['no']],
      ['inner', {}],
    ] as const) {
      const doc = { ...valid, [name]: wrong };
      expect(schema.safeParse(doc).success).toBe(false);
      expect(check(doc)?.path[0]).toBe(name);
    }
  });

  it('describe a value that cannot be written out (a bigint inside, `toString` not a function)', () => {
    const odd = { toString: 0, big: 1n };
    expect(check({ ...valid, word: odd })).toStrictEqual({
      path: ['word'],
      message: 'expected "w", got object',
    });
  });

  it('accept exactly what zod accepts for random values', () => {
    const member = fc.constantFrom(...Object.keys(shape));
    fc.assert(
      fc.property(member, fc.anything({ withBigInt: true, withDate: true }), (name, value) => {
        const doc = { ...valid, [name]: value };
        expect(check(doc) === undefined).toBe(schema.safeParse(doc).success);
      }),
      { numRuns: 500 },
    );
  });
});
