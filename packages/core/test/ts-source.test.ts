import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tsCommentText, tsKey, tsLiteral, tsString } from '../src/index.ts';

const hostile = fc.string({ unit: 'binary' });
const pieces = fc.constantFrom(
  "'",
  '"',
  '`',
  '${',
  '*/',
  '/*',
  '\\',
  '\n',
  '\r',
  '\u2028',
  '\u2029',
  '\0',
  'é',
  '😀',
  '//',
);
const hostileText = fc.array(fc.oneof(pieces, hostile), { maxLength: 12 }).map((a) => a.join(''));

describe('ts-source: the one emitter of generated TypeScript', () => {
  const jsonWithHostileText = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, false, 0, -1.5),
      hostileText,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor', 'kind')),
        tie('value'),
        {
          maxKeys: 4,
        },
      ),
    ),
  })).value;

  it('tsLiteral round-trips JSON data with hostile keys and strings, on one line or wrapped', () => {
    fc.assert(
      fc.property(jsonWithHostileText, fc.constantFrom(undefined, '', '    '), (value, indent) => {
        const literal = tsLiteral(value, indent);
        if (indent === undefined) expect(literal).not.toContain('\n');
        const back = new Function(`return ${literal};`)();
        expect(JSON.stringify(back)).toBe(JSON.stringify(value));
        // a `__proto__` key stays an own member: the literal is a plain object whose prototype is untouched
        if (back !== null && typeof back === 'object' && !Array.isArray(back)) {
          expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tsLiteral wraps long containers one entry per line only when given an indent', () => {
    const long = { name: 'x'.repeat(60), values: ['a'.repeat(30), 'b'.repeat(30)], skip: undefined };
    expect(tsLiteral(long)).toBe(
      `{ name: '${'x'.repeat(60)}', values: ['${'a'.repeat(30)}', '${'b'.repeat(30)}'] }`,
    );
    expect(tsLiteral(long, '')).toBe(
      `{\n  name: '${'x'.repeat(60)}',\n  values: ['${'a'.repeat(30)}', '${'b'.repeat(30)}'],\n}`,
    );
  });

  it('tsString round-trips any string through the JS parser', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const literal = tsString(s);
        expect(literal).not.toMatch(/[\n\r\u2028\u2029\0]/);
        expect(new Function(`return ${literal};`)()).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('tsCommentText never lets user text leave its comment line (regression: enum value with a newline ran as code)', () => {
    (globalThis as { __evolveCanary?: boolean }).__evolveCanary = undefined;
    const injected = 'b\nglobalThis.__evolveCanary = true//';
    const source = `// ${tsCommentText(injected)}\nreturn 1;`;
    expect(new Function(source)()).toBe(1);
    expect((globalThis as { __evolveCanary?: boolean }).__evolveCanary).toBeUndefined();
    fc.assert(
      fc.property(hostileText, (s) => {
        expect(tsCommentText(s)).not.toMatch(/[\n\r\u2028\u2029\0]/);
      }),
    );
  });

  it('tsKey keeps __proto__, constructor and toString as own data keys', () => {
    const keys = ['__proto__', 'constructor', 'toString', 'prototype', 'a b', "it's"];
    const literal = `({ ${keys.map((k, i) => `${tsKey(k)}: ${i}`).join(', ')} })`;
    const obj = new Function(`return ${literal};`)() as Record<string, number>;
    expect(Object.keys(obj)).toEqual(keys);
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
  });
});
