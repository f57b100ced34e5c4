import type { FieldRecipe, JsonValue } from '@evolve/core';

/** The literal a catalog default expression is, with parentheses, casts and charset prefixes taken off. */
function literalOf(expression: string): { quoted: boolean; text: string } | undefined {
  let text = expression.trim();
  for (;;) {
    const next = text
      .replace(/^\((.*)\)$/s, '$1')
      .replace(/::[a-z][a-z0-9_ ]*(\(\d+(,\d+)?\))?(\[\])?$/i, '')
      .replace(/^_[a-z0-9]+(?=\\?')/i, '')
      .trim();
    if (next === text) break;
    text = next;
  }
  const quoted = /^'((?:[^']|'')*)'$/s.exec(text) ?? /^\\'(.*)\\'$/s.exec(text);
  if (quoted) {
    return { quoted: true, text: (quoted[1] as string).replace(/''/g, "'").replace(/\\'/g, "'") };
  }
  if (/^[-+]?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text) || /^(true|false)$/i.test(text)) {
    return { quoted: false, text };
  }
  return undefined;
}

function isoOf(text: string): string | undefined {
  let t = text.trim().replace(' ', 'T');
  if (/[+-]\d\d$/.test(t)) t = `${t}:00`;
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(t)) t = `${t}Z`;
  const time = Date.parse(t);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * The constant a column's catalog default stands for, as the model's `.default(...)` takes it; undefined
 * for no default, NULL, or an expression the models cannot hold (`now()`, `nextval(...)`, `CURRENT_TIMESTAMP`).
 *
 * @example
 * constantDefault("'it''s'::text", 'string'); // "it's"
 * constantDefault('now()', 'date'); // undefined
 */
export function constantDefault(expression: string | null, base: FieldRecipe['base']): JsonValue | undefined {
  if (expression === null || /^\s*null\s*$/i.test(expression)) return undefined;
  const literal = literalOf(expression);
  if (!literal) return undefined;
  const { quoted, text } = literal;
  switch (base) {
    case 'string':
      // numeric/decimal columns are strings in the models, and their defaults unquoted numbers
      return quoted || /^[-+]?\d/.test(text) ? text : undefined;
    case 'uuid':
    case 'enum':
      return quoted ? text : undefined;
    case 'int':
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) && (base === 'number' || Number.isInteger(n)) ? n : undefined;
    }
    case 'bigint':
      return /^[-+]?\d+$/.test(text) ? String(BigInt(text)) : undefined;
    case 'boolean': {
      const t = text.toLowerCase();
      if (['1', 'true', 't'].includes(t)) return true;
      if (['0', 'false', 'f'].includes(t)) return false;
      return undefined;
    }
    case 'date':
      return quoted ? isoOf(text) : undefined;
    case 'json':
      if (!quoted) return undefined;
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return undefined;
      }
  }
}
