import {
  buildPulledSchema,
  EvolveError,
  indexName,
  modelName,
  type PulledModel,
  type PullNote,
  renderModels,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import type { Db } from 'mongodb';
import { inferFields, inferRecipe } from './infer-recipe.ts';

export interface PullDocumentsOptions {
  /** Documents read per collection (default 100). */
  sample?: number;
  /** Only these collections (NOT_FOUND for one the database does not have). Default: all but `evolve_*`. */
  collections?: readonly string[];
}

export interface PullDocumentsResult {
  models: PulledModel[];
  snapshot: Snapshot;
  /** The models file: one document model per collection. */
  source: string;
  notes: PullNote[];
}

interface LiveIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
}

function indexesOf(collection: string, live: LiveIndex[], fields: Set<string>, notes: PullNote[]) {
  const indexes: PulledModel['indexes'] = [];
  for (const index of live) {
    if (index.name === '_id_') continue;
    const keys = Object.keys(index.key);
    const plain = Object.values(index.key).every((v) => v === 1) && keys.every((k) => fields.has(k));
    if (!plain) {
      notes.push({
        table: collection,
        item: index.name,
        kind: 'skipped',
        reason:
          'an index the models cannot describe (descending, text, hashed or geo, or on a nested or unsampled field)',
      });
      continue;
    }
    const unique = index.unique === true;
    indexes.push({
      fields: keys,
      unique,
      ...(index.name !== indexName(collection, keys, unique) ? { name: index.name } : {}),
    });
  }
  return indexes;
}

/**
 * Samples the documents of each collection and proposes a document model per collection: a field for every
 * top-level key seen, optional where some documents lack it, nullable where one holds null, nested objects
 * and arrays field by field, and the collection's plain ascending indexes. What it cannot model (values of
 * several types, ObjectId fields other than `_id`, text or descending indexes, views, empty collections) is
 * listed in `notes`. Reads only.
 *
 * @example
 * const { source, notes } = await pullDocuments(client.db('app'), { sample: 200 });
 */
export async function pullDocuments(
  db: Db,
  options: PullDocumentsOptions = {},
): Promise<PullDocumentsResult> {
  const sample = options.sample ?? 100;
  if (!Number.isInteger(sample) || sample < 1) {
    throw new EvolveError('INVALID_CONFIG', `sample must be a whole number of documents, got ${sample}`, {
      path: 'sample',
    });
  }
  const listed = await db.listCollections({}, { nameOnly: false }).toArray();
  const names = new Set(listed.map((c) => c.name));
  for (const wanted of options.collections ?? []) {
    if (!names.has(wanted)) {
      throw new EvolveError('NOT_FOUND', `the database has no collection ${JSON.stringify(wanted)}`, {
        path: wanted,
      });
    }
  }
  const chosen = listed
    .filter((c) =>
      options.collections
        ? options.collections.includes(c.name)
        : !c.name.startsWith('evolve_') && !c.name.startsWith('system.'),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  const notes: PullNote[] = [];
  const models: PulledModel[] = [];
  const taken = new Set<string>();
  for (const info of chosen) {
    const collection = info.name;
    if (info.type === 'view') {
      notes.push({ table: collection, kind: 'skipped', reason: 'a view: the models hold collections only' });
      continue;
    }
    const docs = (await db.collection(collection).find({}).limit(sample).toArray()) as Record<
      string,
      unknown
    >[];
    if (docs.length === 0) {
      notes.push({ table: collection, kind: 'skipped', reason: 'no documents to sample: not pulled' });
      continue;
    }
    const ctx = { collection, path: '', notes };
    const ids = docs.map((d) => d._id);
    // an ObjectId `_id` is MongoDB's own and implicit in a document model; any other is a field
    const objectIds = ids.every((id) => (id as { _bsontype?: string })?._bsontype === 'ObjectId');
    const rest = docs.map(({ _id, ...other }) => other);
    const fields = inferFields(rest, ctx);
    if (!objectIds) fields.unshift(['_id', inferRecipe(ids, { ...ctx, path: '_id' })]);
    if (fields.length === 0) {
      notes.push({
        table: collection,
        kind: 'skipped',
        reason: 'its documents hold nothing but _id: not pulled',
      });
      continue;
    }
    const live = (await db.collection(collection).listIndexes().toArray()) as LiveIndex[];
    const name = modelName(collection, taken);
    taken.add(name.toLowerCase());
    models.push({
      name,
      target: 'document',
      table: collection,
      primaryKey: ['_id'],
      fields,
      indexes: indexesOf(collection, live, new Set(fields.map(([f]) => f)), notes),
      foreignKeys: [],
    });
  }
  const snapshot = toSnapshot(buildPulledSchema(models));
  return { models, snapshot, source: renderModels(models, notes), notes };
}
