import { createHash } from 'node:crypto';
import { EvolveError } from '@evolve/core';
import { type Token, tokenize } from './ts-tokens.ts';

/**
 * A migration file's `codeHash`: a hash of its code (the transforms, document up/down functions and SQL steps
 * as well as the data), written into the file by `generate` and `evolve hash`. The journal's checksum covers
 * it, so an applied migration whose code was edited and re-hashed reads "modified". The file's text is
 * hashed as tokens: comments, whitespace, quote style and trailing commas do not count, so reformatting a
 * reviewed migration or editing its comments does not change what was applied. The `t1:` prefix versions
 * this normalization.
 */
export const CODE_HASH_PREFIX = 't1:';

const WORDY = /[\p{ID_Continue}$]/u;

const isCodeHashAt = (tokens: readonly Token[], i: number) => {
  const t = tokens[i];
  return (
    t?.kind === 'word' &&
    t.text === 'codeHash' &&
    tokens[i + 1]?.kind === 'other' &&
    tokens[i + 2]?.kind === 'string'
  );
};

const closes = (t: Token | undefined) => t?.kind === 'other' && /^[)\]}]$/.test(t.text);

/** The normalized code of a module: its tokens, without the `codeHash` property itself. */
function normalizedCode(text: string): string {
  const tokens = tokenize(text);
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (isCodeHashAt(tokens, i)) {
      i += tokens[i + 3]?.kind === 'other' && (tokens[i + 3] as { text: string }).text === ',' ? 3 : 2;
      continue;
    }
    const t = tokens[i]!;
    if (t.kind === 'other' && t.text === ',' && closes(tokens[i + 1])) continue;
    const piece = t.kind === 'string' ? JSON.stringify(t.value) : t.text;
    const last = kept.at(-1);
    // a separator only where joining would merge two tokens (`return x`, `a + +b`)
    const glue =
      last !== undefined &&
      ((WORDY.test(last.at(-1)!) && WORDY.test(piece[0]!)) || (/[+-]$/.test(last) && /^[+-]/.test(piece)));
    kept.push(glue ? ` ${piece}` : piece);
  }
  return kept.join('');
}

/**
 * The code hash of a migration module's text.
 *
 * @example
 * computeCodeHash("export default { id: '0002_add_email', up: (old) => old };"); // 't1:…'
 */
export function computeCodeHash(text: string): string {
  return `${CODE_HASH_PREFIX}${createHash('sha256').update(normalizedCode(text)).digest('base64')}`;
}

/** The `codeHash` a module's text carries, or undefined (a migration generated before code hashes). */
export function readCodeHash(text: string): string | undefined {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    if (isCodeHashAt(tokens, i)) return (tokens[i + 2] as { value: string }).value;
  }
  return undefined;
}

const CODE_HASH_LINE = /^(\s*codeHash\s*:\s*)(['"])[^'"\n]*\2/m;
const TO_LINE = /^(\s*)to\s*:\s*(['"])[0-9a-f]*\2\s*,[^\n]*\n/m;

/**
 * The module's text with its `codeHash` brought up to date (added after `to:` when it has none).
 *
 * @example
 * const text = "export default {\n  id: '0002_add_email',\n  to: 'ab12',\n};\n";
 * withCodeHash(text); // the same module with `codeHash: 't1:…'` after its `to:` line
 */
export function withCodeHash(text: string, path = 'migration'): string {
  const hash = computeCodeHash(text);
  if (readCodeHash(text) !== undefined) {
    if (!CODE_HASH_LINE.test(text)) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `${path}: its codeHash is not a plain 'codeHash: "…"' line`,
        {
          path,
        },
      );
    }
    return text.replace(CODE_HASH_LINE, (_, head: string) => `${head}'${hash}'`);
  }
  const to = TO_LINE.exec(text);
  if (!to) {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `${path}: no \`to: '<hash>',\` line to put its codeHash after; add \`codeHash: '',\` by hand and rerun \`evolve hash\``,
      { path },
    );
  }
  const at = to.index + to[0].length;
  return `${text.slice(0, at)}${to[1]}codeHash: '${hash}',\n${text.slice(at)}`;
}
