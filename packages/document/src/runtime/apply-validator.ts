import type { Collection, Document } from 'mongodb';
import { describeMongoServer } from './mongo-server.ts';

export interface ApplyValidatorOptions {
  /** `moderate` (default) leaves existing invalid documents alone until they are updated. */
  level?: 'off' | 'strict' | 'moderate';
  /** `error` (default) rejects invalid writes; `warn` only logs them on the server. */
  action?: 'error' | 'warn';
}

/**
 * What `applyValidator` did: installed the validator, or nothing because the server has no collection
 * validators (FerretDB), with a message saying so for the caller to show.
 */
export type ApplyValidatorResult =
  | { applied: true; via: 'collMod' | 'create' }
  | { applied: false; reason: 'unsupported'; server: string; message: string };

/** MongoDB's `NotImplemented`: what FerretDB answers to `collMod` and to `create` with a validator. */
const NOT_IMPLEMENTED = 238;

/**
 * Installs a validator (e.g. the `{ $jsonSchema }` the upgrader builds, accepting every live version) on
 * a MongoDB collection: `collMod` when the collection exists, `createCollection` otherwise. A server
 * without collection validators (FerretDB 1.x answers NotImplemented) gives `{ applied: false }` and a
 * message, never a silent success: writes there are checked only by `versioned()`.
 *
 * @example
 * const validator = documentValidator({ model: User, migrations });
 * const result = await applyValidator(client.db('app').collection('users'), validator, { level: 'moderate' });
 * if (!result.applied) console.warn(result.message);
 */
export async function applyValidator(
  collection: Collection<any>,
  validator: Document,
  options: ApplyValidatorOptions = {},
): Promise<ApplyValidatorResult> {
  const name = collection.collectionName;
  const settings = {
    validationLevel: options.level ?? 'moderate',
    validationAction: options.action ?? 'error',
  };
  const exists = await collection.db.listCollections({ name }, { nameOnly: true }).hasNext();
  try {
    if (exists) await collection.db.command({ collMod: name, validator, ...settings });
    else await collection.db.createCollection(name, { validator, ...settings });
    return { applied: true, via: exists ? 'collMod' : 'create' };
  } catch (error) {
    if ((error as { code?: unknown }).code !== NOT_IMPLEMENTED) throw error;
    const info = await describeMongoServer(collection.db);
    const server = `${info.flavor === 'ferretdb' ? 'FerretDB' : 'MongoDB'} ${info.version}`;
    return {
      applied: false,
      reason: 'unsupported',
      server,
      message:
        `${server} does not support collection validators: the validator of ${name} was not applied, ` +
        `so the server accepts any document (writes through versioned() are still validated)`,
    };
  }
}
