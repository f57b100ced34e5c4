const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string as a single-quoted TS literal. */
export const tsString = (s: string): string =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

/** JSON-like data as compact, readable TS source (`{ kind: 'string', maxLength: 200 }`). */
export function tsLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, v]) => `${IDENT.test(k) ? k : tsString(k)}: ${tsLiteral(v)}`).join(', ');
  return `{ ${body} }`;
}
