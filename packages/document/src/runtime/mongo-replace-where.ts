import type { Row } from '@evolve/core';
import type { Collection, Document, Filter as MongoFilter } from 'mongodb';
import { valuesEqual } from './compare-values.ts';
import type { CasWrite, Expectation } from './document-store.ts';
import { mongoIdKey } from './mongo-id-key.ts';

/** `{ _id, ...expected fields }`, with `{ $exists: false }` for a field expected absent. */
export function expectationFilter(id: unknown, expect: Expectation): MongoFilter<Document> {
  const filter: Record<string, unknown> = { _id: id };
  for (const [field, value] of Object.entries(expect)) {
    filter[field] = value === undefined ? { $exists: false } : value;
  }
  return filter;
}

/**
 * Compare-and-set replaces in one `bulkWrite` round trip (unordered), one result per write; with
 * `perCommand`, in commands of at most that many writes, one after the other (FerretDB 1.x holds a
 * connection per write until its command ends, and a command of ~100 writes exhausts its pool). The
 * server counts matches per command, not per write, so when some writes lost, one more read finds which
 * documents now hold what was written: exactly the matched count of results are true. (Two writes of the
 * same content cannot be told apart; either is then counted as the winner, which changes no document.)
 */
export async function replaceWhere(
  collection: Collection<any>,
  writes: readonly CasWrite[],
  perCommand = Number.POSITIVE_INFINITY,
): Promise<boolean[]> {
  if (writes.length === 0) return [];
  const docs = writes.map((w) => {
    const { _id, ...doc } = w.doc;
    return doc;
  });
  const ops = writes.map((w, i) => ({
    replaceOne: { filter: expectationFilter(w.id, w.expect), replacement: docs[i] as Document },
  }));
  let left = 0;
  for (let i = 0; i < ops.length; i += perCommand) {
    const chunk = ops.length <= perCommand ? ops : ops.slice(i, i + perCommand);
    left += (await collection.bulkWrite(chunk, { ordered: false })).matchedCount;
  }
  if (left === writes.length) return writes.map(() => true);
  if (left === 0) return writes.map(() => false);
  const stored = new Map<string, Row>();
  const found = collection.find({ _id: { $in: writes.map((w) => w.id) } } as MongoFilter<Document>);
  for await (const doc of found) stored.set(mongoIdKey(doc._id), doc as Row);
  return writes.map((w, i) => {
    const now = stored.get(mongoIdKey(w.id));
    if (left === 0 || !now) return false;
    const { _id, ...rest } = now;
    if (!valuesEqual(rest, docs[i])) return false;
    left--;
    return true;
  });
}
