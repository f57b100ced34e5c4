// What the JSDoc examples of @evolve/document take as given (test/docs/jsdoc-examples.test.ts compiles
// every example with these in scope): document models, their migrations and upgrader, a MongoDB client, a
// Kysely instance for JSON documents in SQL, and the pieces of a model's history for internal helpers.
import {
  type Change,
  type ChangeSet,
  defineModel,
  type Migration,
  type Row,
  type Snapshot,
} from '@evolve/core';
import type { Kysely } from 'kysely';
import type { MongoClient } from 'mongodb';
import { z } from 'zod';
import type {
  DocumentStore,
  DocumentUpgrader,
  HistoryStep,
  ModelHistory,
  StepTransforms,
} from '../src/index.ts';
import type { ChainParts } from '../src/upgrader/compile-chain.ts';

export const User = defineModel('User', {
  target: 'document',
  shape: { _id: z.string(), fullName: z.string(), email: z.email().optional() },
});
export const Event = defineModel('Event', {
  target: 'document',
  shape: { _id: z.int(), name: z.string(), status: z.enum(['open', 'closed']) },
});
/** The ordered list of migrations (the migrations folder's index.ts default export). */
export declare const migrations: readonly Migration[];
export declare const migration: Migration;
/** An upgrader of the `User` model (`createUpgrader({ model: User, migrations })`). */
export declare const upgrader: DocumentUpgrader<Row>;
export declare const client: MongoClient;
/** A document store (a MongoDB collection, a SQL table of JSON documents, or memory). */
export declare const store: DocumentStore;
/** The application's Kysely instance (JSON documents in a SQL table). */
export declare const db: Kysely<any>;
/** The snapshots before and after a migration, and the latest one. */
export declare const before: Snapshot;
export declare const after: Snapshot;
export declare const snapshot: Snapshot;
export declare const changeSet: ChangeSet;
export declare const changes: readonly Change[];
/** A stored document. */
export declare const doc: Row;
/** Inside a document step: the step's own copy (`out`), the input (`old`), the migration's transforms (`t`). */
export declare const out: Row;
export declare const old: Row;
export declare const t: StepTransforms;
/** A model's history, one step of it, and the parts of an upgrade chain (internal). */
export declare const history: ModelHistory;
export declare const step: HistoryStep;
export declare const parts: ChainParts;
