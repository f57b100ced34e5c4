/**
 * JSON-like text of a value with sorted object keys, so equal data gives equal text whatever the driver's
 * key order. Dates become ISO strings, buffers hex, bigints `123n`.
 *
 * @example
 * stableStringify({ b: 1, a: new Date(0) }); // '{"a":"1970-01-01T00:00:00.000Z","b":1}'
 */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Date)
    return JSON.stringify(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(String(value));
}
