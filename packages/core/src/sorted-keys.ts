/**
 * `Object.keys(record)` in sorted order. Snapshot records are mostly sorted already (keys are written
 * sorted): checking that costs one pass and no allocation, where `sort` copies the array every time.
 *
 * @example
 * sortedKeys({ b: 1, a: 2 }); // ['a', 'b']
 */
export function sortedKeys(record: object): string[] {
  return sortedInPlace(Object.keys(record));
}

/** `names` sorted as `Array.prototype.sort` does (by UTF-16 code units), left alone when already sorted. */
export function sortedInPlace(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    if ((names[i - 1] as string) > (names[i] as string)) return names.sort();
  }
  return names;
}
