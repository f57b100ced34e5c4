/**
 * The document runtime: `versioned()` (lazy upgrades on read, compare-and-set write-back, version-stamped
 * writes, filters that follow renames) and `sweep()` (eager, batched, rate-limited, checkpointed upgrades),
 * over one small DocumentStore interface with adapters for a MongoDB driver Collection, JSON documents in
 * a SQL table (jsonb or JSON text, through Kysely; see `dialects/`) and memory.
 *
 * @example
 * const store = createSqlDocumentStore(db, { table: 'users' }); // or pass a MongoDB Collection directly
 * const users = versioned(store, createUpgrader({ model: User, migrations }), { writeBack: true });
 * await users.findOne({ fullName: 'Ada' });
 * await sweep(store, upgrader, { batchSize: 500, rate: 2000, onProgress: console.log });
 */
export type { UpdateSpec } from './apply-update.ts';
export { applyUpdate } from './apply-update.ts';
export { type ApplyValidatorOptions, type ApplyValidatorResult, applyValidator } from './apply-validator.ts';
export { compileSqlFilter, type SqlDocumentColumns } from './compile-sql-filter.ts';
export { createDocumentTable } from './create-document-table.ts';
export {
  detectSqlJsonDialect,
  holdsJsonDocuments,
  type SqlJsonDialectName,
  sqlJsonDialectFor,
} from './dialects/json-dialect-for.ts';
export { postgresJsonDialect } from './dialects/postgres-json-dialect.ts';
export { sqliteJsonDialect } from './dialects/sqlite-json-dialect.ts';
export type {
  CasWrite,
  CheckpointStore,
  DocumentStore,
  Expectation,
  FindOptions,
  SortSpec,
  SweepCheckpoint,
} from './document-store.ts';
export { isDocumentStore } from './document-store.ts';
export type { FieldOperators, Filter } from './filter.ts';
export { matchesFilter } from './matches-filter.ts';
export { createMemoryDocumentStore } from './memory-document-store.ts';
export { createMongoDocumentStore, type MongoDocumentStoreOptions } from './mongo-document-store.ts';
export { describeMongoServer, type MongoServerInfo } from './mongo-server.ts';
export {
  CLAIM_LEASE_MS,
  CLAIMS_COLLECTION,
  createWriteClaims,
  type HeldClaims,
  type WriteClaims,
} from './mongo-write-claims.ts';
export { type Projection, projectDocument } from './project-document.ts';
export { aliasPaths, rewriteFilterAliases } from './rewrite-filter-aliases.ts';
export { createSqlCheckpointStore } from './sql-checkpoint-store.ts';
export { createSqlDocumentStore, type SqlDocumentStoreOptions } from './sql-document-store.ts';
export type { SqlJsonDialect } from './sql-json-dialect.ts';
export {
  type SweepCounts,
  type SweepFailure,
  type SweepOptions,
  type SweepProgress,
  type SweepResult,
  sweep,
} from './sweep.ts';
export { toDocumentStore } from './to-document-store.ts';
export { versioned } from './versioned.ts';
export type {
  FindManyOptions,
  FindOneOptions,
  UpdateResultLike,
  VersionedCollection,
  VersionedOptions,
  VersionedStats,
} from './versioned-collection.ts';
export { VersionedCursor } from './versioned-cursor.ts';
