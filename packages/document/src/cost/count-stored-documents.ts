import type { Collection } from 'mongodb';
import type { DocumentStore } from '../runtime/document-store.ts';
import { isDocumentStore } from '../runtime/document-store.ts';
import { outdatedFilter } from '../runtime/outdated-filter.ts';
import { toDocumentStore } from '../runtime/to-document-store.ts';
import type { Upgrader } from '../upgrader-types.ts';

/** How many documents a store holds, and how many of them a sweep would upgrade. */
export interface StoredDocumentCounts {
  /** Documents in the collection or table (MongoDB: `estimatedDocumentCount`, from its metadata). */
  total: number;
  /** With an upgrader: documents not at its latest version (an exact count: it reads the version fields). */
  outdated?: number;
}

/**
 * Counts the documents of a MongoDB collection or a document store: all of them (MongoDB's
 * `estimatedDocumentCount`, which reads the collection's metadata; `count(*)` for JSON documents in SQL)
 * and, given an upgrader, those not at its latest version, which a sweep would read (`countDocuments` /
 * `count(*)` with the sweep's own filter). Read only.
 *
 * @example
 * const { total, outdated } = await countStoredDocuments(client.db('app').collection('users'), { upgrader });
 */
export async function countStoredDocuments(
  collection: Collection<any> | DocumentStore,
  options: { upgrader?: Pick<Upgrader<any>, 'versionField' | 'latestVersion' | 'createdVersion'> } = {},
): Promise<StoredDocumentCounts> {
  const store = toDocumentStore(collection);
  const total = isDocumentStore(collection)
    ? await store.count({})
    : await (collection as Collection<any>).estimatedDocumentCount();
  if (!options.upgrader) return { total };
  return { total, outdated: await store.count(outdatedFilter(options.upgrader)) };
}
