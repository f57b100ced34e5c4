/**
 * evolve on a MongoDB database (MongoDB, or FerretDB through the same driver): migrations recorded in a
 * journal under a lease lock (collections, unique and compound indexes, validators where the server has
 * them), the stored versions of each document model, and index drift.
 */
export { detectMongoIndexDrift, type MongoDrift } from './detect-mongo-index-drift.ts';
export {
  type MongoMigrateOptions,
  type MongoMigrateProgressEvent,
  type MongoMigrateResult,
  type MongoMigrateWarning,
  type MongoMigrationResult,
  migrateMongo,
  rollbackMongo,
} from './migrate-mongo.ts';
export { type MongoModelStatus, mongoDocumentStatus, type VersionCount } from './mongo-document-status.ts';
export { JOURNAL_COLLECTION, type MongoJournalStatus, mongoJournalStatus } from './mongo-journal.ts';
export {
  acquireMongoLock,
  LOCKS_COLLECTION,
  type MongoLock,
  type MongoLockOptions,
} from './mongo-lease-lock.ts';
export { type MongoStep, planMongoSteps } from './plan-mongo-steps.ts';
