import { EvolveError } from '@evolve/core';
import type { Db } from 'mongodb';
import type { MongoStep } from './plan-mongo-steps.ts';

/** Server error codes a rerun of a half-done migration meets: the step was done already. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
const NAMESPACE_EXISTS = 48;
const DUPLICATE_KEY = 11000;

const codeOf = (error: unknown) => (error as { code?: unknown }).code;

/**
 * Runs one MongoDB step so that running it again is harmless (a migration killed half way is simply run
 * again): a collection that exists, an index already there or already gone, are done. A unique index
 * over duplicate values fails with a message naming the index and the collection.
 */
export async function runMongoStep(db: Db, step: MongoStep): Promise<void> {
  switch (step.op) {
    case 'createCollection':
      try {
        await db.createCollection(step.collection);
      } catch (error) {
        if (codeOf(error) !== NAMESPACE_EXISTS) throw error;
      }
      return;
    case 'dropCollection':
      try {
        await db.collection(step.collection).drop();
      } catch (error) {
        if (codeOf(error) !== NAMESPACE_NOT_FOUND) throw error;
      }
      return;
    case 'renameCollection': {
      const exists = async (name: string) => db.listCollections({ name }, { nameOnly: true }).hasNext();
      if (!(await exists(step.from)) && (await exists(step.to))) return;
      await db.renameCollection(step.from, step.to);
      return;
    }
    case 'createIndex': {
      const { index } = step;
      try {
        await db
          .collection(step.collection)
          .createIndex(Object.fromEntries(index.fields.map((f) => [f, 1])), {
            name: index.name,
            ...(index.unique ? { unique: true } : {}),
          });
      } catch (error) {
        if (codeOf(error) !== DUPLICATE_KEY) throw error;
        throw new EvolveError(
          'MIGRATION_FAILED',
          `cannot create unique index ${index.name} on ${step.collection}: stored documents share a value of (${index.fields.join(', ')}); resolve the duplicates first`,
          { path: `${step.model}.${index.fields.join('.')}`, cause: error },
        );
      }
      return;
    }
    case 'dropIndex':
      try {
        await db.collection(step.collection).dropIndex(step.index.name);
      } catch (error) {
        const code = codeOf(error);
        if (code !== INDEX_NOT_FOUND && code !== NAMESPACE_NOT_FOUND) throw error;
      }
      return;
  }
}
