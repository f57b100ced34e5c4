import { existsSync } from 'node:fs';
import type { Change, Migration, Snapshot } from '@evolve/core';
import type { DocumentCost, DocumentStoreKind } from '@evolve/document';
import { loadMigrations, loadSchema, type ResolvedConfig } from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
import { withDatabase } from './open-database.ts';

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
 * const cost = await planDocumentCost(config, migrations.at(-1)!, changes, next);
 */
export async function planDocumentCost(
  config: ResolvedConfig,
  migration: Migration,
  changes: readonly Change[],
  next: Snapshot,
): Promise<DocumentPlanCost | undefined> {
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
  const tables = (m: string) => next.models[m]!.table;
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
    const reachable =
      target !== undefined &&
      (target.dialect === 'postgres' || target.dialect === 'sqlite') &&
      !(target.driver === 'better-sqlite3' && !existsSync(target.location));
    if (reachable) {
      store = target.dialect as 'postgres' | 'sqlite';
      counts = await withDatabase(target, async (db) => {
        const found = new Map<string, number>();
        for (const m of counted) {
          const table = document.createSqlDocumentStore(db, { table: tables(m) });
          // a table not created yet (`evolve up` not run): no count, so no sweep estimate for it
          const total = await document.countStoredDocuments(table).then(
            (c) => c.total,
            () => undefined,
          );
          if (total !== undefined) found.set(m, total);
        }
        return found;
      });
    }
  }
  const models = names.map((m) =>
    document.estimateDocumentCost({
      model: schema.models[m] ?? m,
      migrations,
      ...(counts && store ? { store } : {}),
      ...(created.has(m) ? { documents: 0 } : counts?.has(m) ? { documents: counts.get(m)! } : {}),
    }),
  );
  return { documentsFrom: counts ? 'live count' : 'none', ...(store ? { store } : {}), models };
}
