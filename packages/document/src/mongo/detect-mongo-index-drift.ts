import type { IndexSnapshot, Snapshot } from '@evolve/core';
import type { Db } from 'mongodb';

/** One difference between a MongoDB database and the document models of a snapshot. */
export interface MongoDrift {
  kind: 'missingCollection' | 'missingIndex' | 'unexpectedIndex' | 'differentIndex';
  collection: string;
  index?: string;
  message: string;
}

interface LiveIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
}

const describe = (fields: readonly string[], unique: boolean) =>
  `${unique ? 'unique ' : ''}(${fields.join(', ')})`;

/**
 * Compares the indexes of each document model's collection with the snapshot: missing, unexpected and
 * different ones (fields, order or uniqueness), and collections that do not exist. `_id_` is MongoDB's
 * own and left out. Empty when the database matches.
 *
 * @example
 * const drift = await detectMongoIndexDrift(client.db('app'), snapshot);
 */
export async function detectMongoIndexDrift(db: Db, snapshot: Snapshot): Promise<MongoDrift[]> {
  const drift: MongoDrift[] = [];
  const collections = new Set(
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
  );
  for (const model of Object.values(snapshot.models)) {
    if (model.target !== 'document') continue;
    const collection = model.table;
    if (!collections.has(collection)) {
      drift.push({
        kind: 'missingCollection',
        collection,
        message: `collection ${collection} (${model.name}) does not exist`,
      });
      continue;
    }
    const live = (await db.collection(collection).listIndexes().toArray()) as LiveIndex[];
    const byName = new Map(live.filter((i) => i.name !== '_id_').map((i) => [i.name, i]));
    for (const index of model.indexes as IndexSnapshot[]) {
      const found = byName.get(index.name);
      byName.delete(index.name);
      const expected = describe(index.fields, index.unique);
      if (!found) {
        drift.push({
          kind: 'missingIndex',
          collection,
          index: index.name,
          message: `${collection}: index ${index.name} ${expected} is missing`,
        });
        continue;
      }
      const fields = Object.keys(found.key);
      const ascending = Object.values(found.key).every((v) => v === 1);
      const actual = describe(fields, found.unique === true);
      if (actual !== expected || !ascending) {
        drift.push({
          kind: 'differentIndex',
          collection,
          index: index.name,
          message: `${collection}: index ${index.name} is ${actual}${ascending ? '' : ' (not all ascending)'}, expected ${expected}`,
        });
      }
    }
    for (const extra of byName.values()) {
      drift.push({
        kind: 'unexpectedIndex',
        collection,
        index: extra.name,
        message: `${collection}: index ${extra.name} ${describe(Object.keys(extra.key), extra.unique === true)} is not in the models`,
      });
    }
  }
  return drift;
}
