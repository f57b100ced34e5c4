/**
 * Where documents live, for the sweep rate: MongoDB, FerretDB (MongoDB's wire protocol over PostgreSQL:
 * `describeMongoServer(db).flavor` tells them apart), or a SQL table of JSON documents.
 */
export type DocumentStoreKind = 'mongodb' | 'ferretdb' | 'postgres' | 'sqlite';

export interface DocumentCostRates {
  /**
   * Documents per second a sweep reads and writes back (keyset pages, compare-and-set writes), not counting
   * the upgrade itself, which is measured and added per document.
   */
  sweep: number;
}

/**
 * Sweep rates measured by packages/document/test/estimate-document-cost.test.ts (a real `sweep()` of the
 * runtime tests' User documents, the measured upgrade time taken out) on a 2-core machine shared with other
 * work, four runs each: 100k documents on a SQLite file 13.7k-65k documents/s, on PostgreSQL 15 (jsonb)
 * 14.7k-60k/s; FerretDB 1.24 45-131/s over 300-2000 documents (its compare-and-set writes go through write
 * claims, several round trips per document). Each default sits in the middle of its range. There is no
 * MongoDB server here to measure, so `mongodb` has no default: pass `rates.sweep` (a sweep's progress events
 * give it). The order of magnitude, not a promise: large documents or a busy server are slower.
 */
export const DEFAULT_SWEEP_RATES: Readonly<Partial<Record<DocumentStoreKind, DocumentCostRates>>> = {
  ferretdb: { sweep: 75 },
  postgres: { sweep: 30_000 },
  sqlite: { sweep: 30_000 },
};
