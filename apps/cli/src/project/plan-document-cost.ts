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
  const live = await withDocumentStore(config, document, (count) =>
    countEach(
      names.filter((m) => !created.has(m)),
      (m) => count(tables(m)),
    ),
  );
  // the planned migration carries no transform code: the transforms `generate` derives (a conversion,
  // a default) are timed with a stand-in like a TODO, but they are no TODO of the user's
  const derived = new Set(
    deriveTransforms({ from: previous.hash, to: next.hash, changes: [...changes] })
      .filter((t) => t.code !== null)
      .map((t) => `${t.model}.${t.field} (${migration.id})`),
  );
  const costs = names.map((m) => {
    const cost = document.estimateDocumentCost({
      model: schema.models[m] ?? m,
      migrations,
      ...(live ? { store: live.store } : {}),
      ...(created.has(m) ? { documents: 0 } : live?.counts.has(m) ? { documents: live.counts.get(m)! } : {}),
    });
    return { ...cost, todos: cost.todos.filter((todo) => !derived.has(todo)) };
  });
  return {
    documentsFrom: live && live.counts.size > 0 ? 'live count' : 'none',
    ...(live ? { store: live.store } : {}),
    models: costs,
  };
}

/** Counts of stored documents per table; a table that is not there yet (`undefined`) has no count. */
async function countEach(
  names: readonly string[],
  count: (name: string) => Promise<number | undefined>,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const m of names) {
    const total = await count(m);
    if (total !== undefined) found.set(m, total);
  }
  return found;
}

type CountIn = (table: string) => Promise<number | undefined>;

/**
 * Runs `use` with a counter of the documents stored in a table (collection) of the configured document
 * store: MongoDB (or FerretDB) at `documents`, else the SQL database when its dialect holds JSON
 * documents and it exists (an embedded database is not created). Undefined without such a store.
 */
async function withDocumentStore<T>(
  config: ResolvedConfig,
  document: typeof import('@evolve/document'),
  use: (count: CountIn) => Promise<T>,
): Promise<{ store: DocumentStoreKind; counts: T } | undefined> {
  if (config.documents) {
    return withMongo(config.documents, async (db) => ({
      store: (await document.describeMongoServer(db)).flavor,
      counts: await use(async (table) => (await document.countStoredDocuments(db.collection(table))).total),
    }));
  }
  const target = sqlDatabase(config);
  const store = sqlDialectOf(config);
  if (!target || !store || !document.holdsJsonDocuments(store) || !databaseExists(target)) return undefined;
  const { capabilitiesFor } = await import('@evolve/sql');
  return withDatabase(target, async (db) => ({
    store,
    counts: await use(async (table) => {
      try {
        return (await document.countStoredDocuments(document.createSqlDocumentStore(db, { table }))).total;
      } catch (error) {
        // a table not created yet (`evolve up` not run): no count, so no sweep estimate for it;
        // anything else (an unreachable server, a missing grant) is the command's error
        if (capabilitiesFor(db).isMissingTable(error)) return undefined;
        throw error;
      }
    }),
  }));
}
