import type { Collection, Document } from 'mongodb';

export interface ApplyValidatorOptions {
  /** `moderate` (default) leaves existing invalid documents alone until they are updated. */
  level?: 'off' | 'strict' | 'moderate';
  /** `error` (default) rejects invalid writes; `warn` only logs them on the server. */
  action?: 'error' | 'warn';
}

/**
 * Installs a validator (e.g. the `{ $jsonSchema }` the upgrader builds, accepting every live version) on
 * a MongoDB collection: `collMod` when the collection exists, `createCollection` otherwise.
 *
 * @example
 * await applyValidator(db.collection('users'), { $jsonSchema: schema }, { level: 'moderate' });
 */
export async function applyValidator(
  collection: Collection<any>,
  validator: Document,
  options: ApplyValidatorOptions = {},
): Promise<void> {
  const name = collection.collectionName;
  const settings = {
    validationLevel: options.level ?? 'moderate',
    validationAction: options.action ?? 'error',
  };
  const exists = await collection.db.listCollections({ name }, { nameOnly: true }).hasNext();
  if (exists) await collection.db.command({ collMod: name, validator, ...settings });
  else await collection.db.createCollection(name, { validator, ...settings });
}
