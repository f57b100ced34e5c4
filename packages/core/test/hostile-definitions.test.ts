import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, defineSchema, toSnapshot } from '../src/index.ts';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('hostile definitions are refused or kept as data', () => {
  it.each([
    'text); drop table victim; create table zz (id int, a text',
    "text default 'x'",
    'text -- comment',
    'int; select 1',
    'varchar(10) /* */',
    'text\nnot null',
    'numeric(1e3)',
    '',
  ])('sqlType %j is refused with INVALID_MODEL at defineModel (regression: it ran as SQL)', (sqlType) => {
    expect(
      codeOf(() => defineModel('A', { shape: { id: z.string(), a: z.string().meta({ sqlType }) } })),
    ).toBe('INVALID_MODEL');
  });

  it.each([
    'text',
    'varchar(40)',
    'numeric(10, 2)',
    'numeric(10,2)',
    'double precision',
    'timestamp with time zone',
    'int unsigned',
    'text[]',
    'varchar(20)[]',
    'char(8)',
  ])('sqlType %j is accepted', (sqlType) => {
    const model = defineModel('A', { shape: { id: z.string(), a: z.string().meta({ sqlType }) } });
    expect(toSnapshot(defineSchema([model])).models.A?.fields.a?.sqlType).toBe(sqlType);
  });

  it('a NUL character in a default is refused at definition (regression: PostgreSQL "invalid message format")', () => {
    expect(codeOf(() => defineModel('A', { shape: { id: z.string(), a: z.string().default('x\0y') } }))).toBe(
      'INVALID_MODEL',
    );
  });

  it('models and fields named constructor and toString are not false duplicates', () => {
    const snap = toSnapshot(
      defineSchema([
        defineModel('constructor', {
          shape: { id: z.string(), toString: z.string(), constructor: z.string() },
        }),
        defineModel('toString', { shape: { id: z.string(), prototype: z.string() } }),
      ]),
    );
    expect(Object.keys(snap.models)).toEqual(['constructor', 'toString']);
    expect(Object.keys(snap.models['constructor' as string]?.fields ?? {})).toEqual([
      'constructor',
      'id',
      'toString',
    ]);
    expect(Object.getPrototypeOf(snap.models)).toBe(Object.prototype);
  });

  it('a field or model named __proto__ is refused with INVALID_MODEL (regression: the field vanished)', () => {
    const fields = { id: z.string() } as Record<string, z.ZodType>;
    Object.defineProperty(fields, '__proto__', { value: z.string(), enumerable: true });
    expect(codeOf(() => defineModel('A', { shape: fields }))).toBe('INVALID_MODEL');
    expect(codeOf(() => defineModel('__proto__', { shape: { id: z.string() } }))).toBe('INVALID_MODEL');
  });
});
