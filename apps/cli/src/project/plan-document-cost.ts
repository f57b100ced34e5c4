import { type Change, deriveTransforms, type Migration, type Snapshot } from '@evolve/core';
import type { DocumentCost, DocumentStoreKind } from '@evolve/document';
import { loadMigrations, loadSchema, type ResolvedConfig } from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
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
  snapshots: { previous: Snapshot; next: Snapshot },
): Promise<DocumentPlanCost | undefined> {
  const { previous, next } = snapshots;
  const names = [...new Set(changes.map((c) => c.model))].filter(
    (m) => next.models[m]?.target === 'document',
  );
  if (names.length === 0) return undefined;
  const [schema, earlier, document] = await Promise.all([
    loadSchema(config),
    loadMigrations(config),
    import('@evolve/document'),
  ]);
  const migrations = [...earlier, migration];
  const created = new Set(changes.filter((c) => c.kind === 'createModel').map((c) => c.model));
  // a model created by this migration has no stored documents yet
  const counted = names.filter((m) => !created.has(m));
  // stored under the table (collection) the model has before this migration: a rename happens at `up`
  const renamedFrom = new Map(
    changes.flatMap((c) => (c.kind === 'renameModel' ? [[c.model, c.from] as const] : [])),
  );
  const tables = (m: string) => (previous.models[renamedFrom.get(m) ?? m] ?? next.models[m]!).table;
  let store: DocumentStoreKind | undefined;
  let counts: Map<string, number> | undefined;
  if (config.documents) {
    ({ store, counts } = await withMongo(config.documents, async (db) => {
      const kind = (await document.describeMongoServer(db)).flavor;
      const found = new Map<string, number>();
      for (const m of counted) {
        found.set(m, (await document.countStoredDocuments(db.collection(tables(m)))).total);
      }
      return { store: kind, counts: found };
    }));
  } else {
    const target = sqlDatabase(config);
    if (target && (target.dialect === 'postgres' || target.dialect === 'sqlite') && databaseExists(target)) {
      store = target.dialect;
      const { capabilitiesFor } = await import('@evolve/sql');
      counts = await withDatabase(target, async (db) => {
        const found = new Map<string, number>();
        for (const m of counted) {
          const table = document.createSqlDocumentStore(db, { table: tables(m) });
          try {
            found.set(m, (await document.countStoredDocuments(table)).total);
          } catch (error) {
            // a table not created yet (`evolve up` not run): no count, so no sweep estimate for it;
            // anything else (an unreachable server, a missing grant) is the command's error
            if (!capabilitiesFor(db).isMissingTable(error)) throw error;
          }
        }
        return found;
      });
    }
  }
  // the planned migration carries no transform code: the transforms `generate` derives (a conversion,
  // a default) are timed with a stand-in like a TODO, but they are no TODO of the user's
  const derived = new Set(
    deriveTransforms({ from: previous.hash, to: next.hash, changes: [...changes] })
      .filter((t) => t.code !== null)
      .map((t) => `${t.model}.${t.field} (${migration.id})`),
  );
  const models = names.map((m) => {
    const cost = document.estimateDocumentCost({
      model: schema.models[m] ?? m,
      migrations,
      ...(counts && store ? { store } : {}),
      ...(created.has(m) ? { documents: 0 } : counts?.has(m) ? { documents: counts.get(m)! } : {}),
    });
    return { ...cost, todos: cost.todos.filter((todo) => !derived.has(todo)) };
  });
  return {
    documentsFrom: counts && counts.size > 0 ? 'live count' : 'none',
    ...(store ? { store } : {}),
    models,
  };
}
