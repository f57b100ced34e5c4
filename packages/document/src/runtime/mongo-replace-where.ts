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

/** Whether a stored document holds an expectation (`undefined`: the field is absent). */
export function holdsExpectation(doc: Row, expect: Expectation): boolean {
  return Object.entries(expect).every(([field, value]) =>
    value === undefined ? doc[field] === undefined : valuesEqual(doc[field], value),
  );
}

/**
 * Compare-and-set replaces for a writer that holds the documents' write claims (see `createWriteClaims`):
 * no other evolve writer can change them meanwhile, so one read checks every expectation and the writes
 * that follow filter by `_id` alone. That is what FerretDB 1.x runs fast: it pushes a lone `_id` filter
 * down to its backing store, and scans and decodes the whole collection in Go for any other filter. Results are
 * exact per document. Writes go in commands of at most `perCommand` (see `replaceWhere`).
 */
export async function replaceClaimed(
  collection: Collection<any>,
  writes: readonly CasWrite[],
  perCommand: number,
  fresh: () => boolean,
): Promise<boolean[]> {
  if (writes.length === 0) return [];
  const stored = new Map<string, Row>();
  const found = collection.find({ _id: { $in: writes.map((w) => w.id) } } as MongoFilter<Document>);
  for await (const doc of found) stored.set(mongoIdKey(doc._id), doc as Row);
  const won = writes.map((w) => {
    const now = stored.get(mongoIdKey(w.id));
    return now !== undefined && holdsExpectation(now, w.expect);
  });
  const todo = won.flatMap((ok, i) => (ok ? [i] : []));
  for (let start = 0; start < todo.length; start += perCommand) {
    const chunk = todo.slice(start, start + perCommand);
    // a claim past its lease may have been taken over: what is left is not written
    if (!fresh()) {
      for (const i of todo.slice(start)) won[i] = false;
      break;
    }
    await collection.bulkWrite(
      chunk.map((i) => {
        const { _id, ...doc } = (writes[i] as CasWrite).doc;
        return {
          replaceOne: {
            filter: { _id: writes[i]!.id } as MongoFilter<Document>,
            replacement: doc as Document,
          },
        };
      }),
      { ordered: false },
    );
  }
  return won;
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
