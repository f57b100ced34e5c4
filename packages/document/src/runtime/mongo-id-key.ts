/**
 * A stable string for a MongoDB document id (string, number, ObjectId or another BSON value), for maps
 * and claim keys: equal ids give equal keys, and ids of different types never collide.
 *
 * @example
 * import { ObjectId } from 'mongodb';
 * mongoIdKey(new ObjectId('65f0c0ffee0000000000abcd')); // 'o:65f0c0ffee0000000000abcd'
 */
export function mongoIdKey(id: unknown): string {
  if (typeof id === 'string') return `s:${id}`;
  if (typeof id === 'number') return `n:${id}`;
  if (typeof (id as { toHexString?: unknown } | null)?.toHexString === 'function') {
    return `o:${(id as { toHexString(): string }).toHexString()}`;
  }
  return `j:${JSON.stringify(id)}`;
}
