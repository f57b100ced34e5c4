import { tsKey, tsString } from '@evolve/core';

export { tsKey, tsString };

/** JSON-like data as compact, readable TS source (`{ kind: 'string', maxLength: 200 }`). */
export function tsLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  // `kind` first: `{ kind: 'number', integer: true }` reads better than the canonical key order
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a === 'kind' ? -1 : b === 'kind' ? 1 : 0));
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v)}`).join(', ');
  return `{ ${body} }`;
}
