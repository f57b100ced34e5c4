// What the JSDoc examples of @evolve/core take as given (test/docs/jsdoc-examples.test.ts compiles every
// example with these in scope): a schema's models, snapshots of its versions, a change set, migrations.

import { z } from 'zod';
import {
  type ChangeSet,
  defineModel,
  type FieldSnapshot,
  type Migration,
  type Model,
  type Schema,
  type Snapshot,
} from '../src/index.ts';

export const User = defineModel('User', { shape: { id: z.uuid(), email: z.email(), name: z.string() } });
export const Order = defineModel('Order', { shape: { id: z.int(), userId: z.uuid(), total: z.number() } });
/** The application's schema module's default export. */
export declare const schema: Schema;
/** Snapshots of consecutive versions of the schema. */
export declare const v1: Snapshot;
export declare const v2: Snapshot;
export declare const v3: Snapshot;
/** The snapshot before and after a change. */
export declare const prev: Snapshot;
export declare const next: Snapshot;
export declare const snapshot: Snapshot;
export declare const changeSet: ChangeSet;
/** The ordered list of migrations (the migrations folder's index.ts default export). */
export declare const migrations: readonly Migration[];
/** One migration of that list. */
export declare const migration: Migration;
export declare const model: Model;
export declare const field: FieldSnapshot;
export declare const fields: Record<string, FieldSnapshot>;
export * as fc from 'fast-check';
