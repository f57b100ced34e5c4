/**
 * A small TypeScript/JavaScript tokenizer for hashing code: comments and whitespace are dropped, string
 * literals become their value, template literals and regular expressions stay as written, and every other
 * token is an identifier, a number or one punctuation character. It does not parse: a `/` starts a regular
 * expression when the token before it cannot end an operand (the rule most JavaScript lexers use), which
 * misreads only code no generated or reviewed migration contains (a regex right after `}` ending a block).
 */

export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'other'; text: string };

const WORD = /[\p{ID_Continue}$\u200c\u200d]/u;
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The value of a quoted string whose body (between the quotes) is `raw`. */
function stringValue(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 16));
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x'))
      return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (e === '\n' || e === '\r\n' || e === '\r' || e === '\u2028' || e === '\u2029') return '';
    return ESCAPES[e] ?? e;
  });
}

/** The index just past a quoted string, template chunk or regex that starts at `start` and ends at `close`. */
function scanTo(text: string, start: number, close: (c: string, i: number) => boolean): number {
  let i = start;
  let inClass = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    if (!inClass && close(c, i)) return i;
    i += 1;
  }
  return text.length;
}

function regexAllowed(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.kind === 'string') return false;
  if (prev.kind === 'word') return REGEX_AFTER_WORD.has(prev.text);
  return !/^[)\]}]$/.test(prev.text) && !prev.text.startsWith('`') && !prev.text.startsWith('/');
}

/**
 * The tokens of a module's source.
 *
 * @example
 * tokenize("a = 'x' // note").map((t) => t.kind); // ['word', 'other', 'string']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // For each open `${` of a template literal: the brace depth at which its `}` resumes the template.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const template = (from: number) => {
    // from: just after the opening backtick or the `}` ending a substitution
    const end = scanTo(text, from, (c, at) => c === '`' || (c === '$' && text[at + 1] === '{'));
    if (text[end] === '$') {
      tokens.push({ kind: 'other', text: `\`${text.slice(from, end)}\${` });
      templates.push(depth);
      depth += 1;
      return end + 2;
    }
    tokens.push({ kind: 'other', text: `\`${text.slice(from, end)}\`` });
    return end + 1;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i += 1;
    else if (c === '/' && text[i + 1] === '/')
      i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (c === '/' && text[i + 1] === '*')
      i = text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 2;
    else if (c === '"' || c === "'") {
      const end = scanTo(text, i + 1, (ch) => ch === c || ch === '\n');
      tokens.push({ kind: 'string', value: stringValue(text.slice(i + 1, end)) });
      i = end + 1;
    } else if (c === '`') i = template(i + 1);
    else if (c === '}' && templates.length > 0 && templates.at(-1) === depth - 1) {
      templates.pop();
      depth -= 1;
      i = template(i + 1);
    } else if (c === '/' && regexAllowed(tokens.at(-1))) {
      const end = scanTo(text, i + 1, (ch) => ch === '/' || ch === '\n');
      let flags = end + 1;
      while (flags < text.length && WORD.test(text[flags]!)) flags += 1;
      tokens.push({ kind: 'other', text: text.slice(i, flags) });
      i = flags;
    } else if (WORD.test(c)) {
      let end = i + 1;
      while (end < text.length && WORD.test(text[end]!)) end += 1;
      tokens.push({ kind: 'word', text: text.slice(i, end) });
      i = end;
    } else {
      if (c === '{') depth += 1;
      else if (c === '}') depth -= 1;
      tokens.push({ kind: 'other', text: c });
      i += 1;
    }
  }
  return tokens;
}
