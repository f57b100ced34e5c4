/** JSON text for a value bound as a parameter: bigints as strings, dates as ISO strings. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Objects and arrays (but not dates or buffers) become JSON text; other values pass through. */
export function jsonForObjects(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  return jsonText(value);
}
