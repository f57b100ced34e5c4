/** JSON text for a value bound as a parameter: bigints as strings, dates as ISO strings. */
export function jsonText(value: unknown): string {
  try {
    // without a replacer JSON.stringify is about twice as fast; it throws on a bigint, rare in values
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** Objects and arrays (but not dates or buffers) become JSON text; other values pass through. */
export function jsonForObjects(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  return jsonText(value);
}
