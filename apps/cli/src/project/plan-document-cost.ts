import { type Change, deriveTransforms, type Migration, type Schema, type Snapshot } from '@evolve/core';
import type { DocumentCost, DocumentStoreKind } from '@evolve/document';
import { loadMigrations, loadSchema, type ResolvedConfig } from '@evolve/project';
import { sqlDatabase, sqlDialectOf, withMongo } from './mongo-api.ts';
import { databaseExists, withDatabase } from './open-database.ts';

/** What the planned migration costs its document models: lazily per read, eagerly by a sweep. */
export interface DocumentPlanCost {
  /** `live count`: documents counted in the configured store; `none`: no store to count in (no sweep estimate). */
  documentsFrom: 'live count' | 'none';
  /** The store the sweep rate is for (absent without a store). */
  store?: DocumentStoreKind;
  models: DocumentCost[];
}

/**
 * The cost of the planned migration for each document model it changes: the upgrade measured on synthetic
 * documents of every earlier version (a TODO transform timed with a stand-in), and, when the configured
 * store can be reached, the documents a sweep would upgrade (every stored document is older than the
 * planned version) at the store's measured sweep rate. Undefined when no document model changes.
 *
 * @example
 * const cost = await planDocumentCost(config, migrations.at(-1)!, changes, { previous, next });
 */
export async function planDocumentCost(
  config: ResolvedConfig,
  migration: Migration,
  changes: readonly Change[],
  models: { previous: Snapshot; next: Snapshot; schema?: Schema },
): Promise<DocumentPlanCost | undefined> {
  const { previous, next } = models;
  const names = [...new Set(changes.map((c) => c.model))].filter(
    (m) => next.models[m]?.target === 'document',
  );
  if (names.length === 0) return undefined;
  const [schema, earlier, document] = await Promise.all([
    models.schema ?? loadSchema(config),
    loadMigrations(config),
    import('@evolve/document'),
  ]);
  const migrations = [...earlier, migration];
  const created = new Set(changes.filter((c) => c.kind === 'createModel').map((c) => c.model));
  // stored under the table (collection) the model has before this migration: a rename happens at `up`
  const renamedFrom = new Map(
    changes.flatMap((c) => (c.kind === 'renameModel' ? [[c.model, c.from] as const] : [])),
  );
  const tables = (m: string) => (previous.models[renamedFrom.get(m) ?? m] ?? next.models[m]!).table;
  // a model created by this migration has no stored documents yet
  const counted = names.filter((m) => !created.has(m));
  const live = await storedDocuments(config, document, [...new Set(counted.map(tables))]);
  const documentsOf = (m: string) => (created.has(m) ? 0 : live?.counts[tables(m)]);
  // the planned migration carries no transform code: the transforms `generate` derives (a conversion,
  // a default) are timed with a stand-in like a TODO, but they are no TODO of the user's
  const derived = new Set(
    deriveTransforms({ from: previous.hash, to: next.hash, changes: [...changes] })
      .filter((t) => t.code !== null)
      .map((t) => `${t.model}.${t.field} (${migration.id})`),
  );
  const costs = names.map((m) => {
    const documents = documentsOf(m);
    const cost = document.estimateDocumentCost({
      model: schema.models[m] ?? m,
      migrations,
      ...(live ? { store: live.store } : {}),
      ...(documents !== undefined ? { documents } : {}),
    });
    return { ...cost, todos: cost.todos.filter((todo) => !derived.has(todo)) };
  });
  return {
    documentsFrom: live && counted.some((m) => documentsOf(m) !== undefined) ? 'live count' : 'none',
    ...(live ? { store: live.store } : {}),
    models: costs,
  };
}

/**
 * The documents stored in each of `tables` (collections) of the configured document store: MongoDB (or
 * FerretDB) at `documents` (`estimatedDocumentCount`, from its metadata), else the SQL database when its
 * dialect holds JSON documents and it exists (an embedded database is not created), from its statistics
 * where it keeps them (as the SQL cost reads rows). A table not created yet (`evolve up` not run) has no
 * count. Undefined without such a store.
 */
async function storedDocuments(
  config: ResolvedConfig,
  document: typeof import('@evolve/document'),
  tables: readonly string[],
): Promise<{ store: DocumentStoreKind; counts: Record<string, number> } | undefined> {
  if (config.documents) {
    return withMongo(config.documents, async (db) => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        counts[table] = (await document.countStoredDocuments(db.collection(table))).total;
      }
      return { store: (await document.describeMongoServer(db)).flavor, counts };
    });
  }
  const target = sqlDatabase(config);
  const store = sqlDialectOf(config);
  if (!target || !store || !document.holdsJsonDocuments(store) || !databaseExists(target)) return undefined;
  const { tableRowEstimates } = await import('@evolve/sql');
  return withDatabase(target, async (db) => ({ store, counts: await tableRowEstimates(db, store, tables) }));
}
