import { tsKey, tsString } from '@evolve/core';

/**
 * Prints JSON data as a TypeScript literal in the house style (single quotes, unquoted keys where possible,
 * trailing commas, one entry per line for non-trivial containers), so generated files read like written ones.
 *
 * @example
 * tsLiteral({ a: ['x'] }); // "{ a: ['x'] }"
 */
export function tsLiteral(value: unknown, indent = ''): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return tsString(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => tsLiteral(v, inner));
    const flat = `[${items.join(', ')}]`;
    if (flat.length + indent.length <= 100 && !flat.includes('\n')) return flat;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const items = entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v, inner)}`);
  const flat = `{ ${items.join(', ')} }`;
  if (flat.length + indent.length <= 100 && !flat.includes('\n')) return flat;
  return `{\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}}`;
}
