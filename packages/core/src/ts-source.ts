import { IDENTIFIER } from './identifiers.ts';

// Everything that ends a `//` comment or a string literal in JavaScript source, plus NUL and the other C0/C1
// controls: escaped in strings, replaced in comments. U+2028/U+2029 are line terminators in JS source.
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/**
 * The one way evolve writes a string into generated TypeScript: a single-quoted literal in which backslashes,
 * quotes, line terminators and control characters are escaped, so no value can end the literal or the line.
 *
 * @example
 * tsString("it's\n"); // "'it\\'s\\n'"
 */
export function tsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(CONTROL, escapeChar)}'`;
}

/**
 * An object key as written in an object literal: bare when it is an identifier, else a quoted string
 * (`__proto__` computed, so it stays data).
 *
 * @example
 * tsKey('a b'); // "'a b'"
 */
export function tsKey(key: string): string {
  // `{ __proto__: x }` and `{ '__proto__': x }` both set the prototype; only a computed key is an own property
  if (key === '__proto__') return `[${tsString(key)}]`;
  return IDENTIFIER.test(key) ? key : tsString(key);
}

/**
 * User text made safe for one `//` comment line: line terminators become spaces and other controls are dropped,
 * so the text can never start a line of code.
 *
 * @example
 * `// ${tsCommentText('b\nconsole.log(1)')}`; // "// b console.log(1)"
 */
export function tsCommentText(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(CONTROL, '');
}

/**
 * The one literal emitter: JSON-like data as TypeScript source in the house style (strings through
 * `tsString`, keys through `tsKey`, `undefined` members left out). Without `indent` the literal stays on one
 * line; with it, a container longer than 100 columns puts one entry per line (trailing commas), nested
 * containers indented from `indent`, so generated files read like written ones.
 *
 * @example
 * tsLiteral({ a: ['x'], b: undefined }); // "{ a: ['x'] }"
 */
export function tsLiteral(value: unknown, indent?: string): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return tsString(value);
  const inner = indent === undefined ? undefined : `${indent}  `;
  const wrap = (open: string, items: string[], close: string) => {
    const flat = `${open}${items.join(', ')}${close}`;
    if (indent === undefined || (flat.length + indent.length <= 100 && !flat.includes('\n'))) return flat;
    return `${open.trim()}\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}${close.trim()}`;
  };
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return wrap(
      '[',
      value.map((v) => tsLiteral(v, inner)),
      ']',
    );
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return wrap(
    '{ ',
    entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v, inner)}`),
    ' }',
  );
}
