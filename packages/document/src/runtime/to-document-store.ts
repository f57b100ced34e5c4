import type { Collection } from 'mongodb';
import { type DocumentStore, isDocumentStore } from './document-store.ts';
import { createMongoDocumentStore } from './mongo-document-store.ts';

/**
 * A DocumentStore as is, or a MongoDB driver Collection wrapped in the MongoDB adapter.
 *
 * @example
 * const store = toDocumentStore(client.db('app').collection('users'));
 * await store.count({}); // the collection's documents
 */
export function toDocumentStore(target: Collection<any> | DocumentStore): DocumentStore {
  return isDocumentStore(target) ? target : createMongoDocumentStore(target);
}
