// What the JSDoc examples of @evolve/sql take as given (test/docs/jsdoc-examples.test.ts compiles every
// example with these in scope): the application's Kysely instance, its migrations, snapshots, and the
// runner's internal context for the examples of internal helpers.
import type { ChangeSet, Migration, Snapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { CompileContext } from '../src/dialects/shared/dialect-capabilities.ts';
import type { MigrateResult, SqlStep } from '../src/index.ts';
import type { Lease } from '../src/runtime/lease.ts';
import type { RunContext } from '../src/runtime/run-context.ts';

/** The application's Kysely instance. */
export declare const db: Kysely<any>;
/** One connection of `db` (what a migration runs on). */
export declare const conn: Kysely<any>;
/** The ordered list of migrations (the migrations folder's index.ts default export). */
export declare const migrations: readonly Migration[];
export declare const migration: Migration;
/** The snapshot before and after a change set. */
export declare const prev: Snapshot;
export declare const next: Snapshot;
/** The schema a migration or a list of steps starts from. */
export declare const before: Snapshot;
export declare const snapshot: Snapshot;
export declare const changeSet: ChangeSet;
export declare const transforms: Migration['transforms'];
export declare const steps: SqlStep[];
/** A dialect compiler's context (internal). */
export declare const context: CompileContext;
/** The runner's context while it applies one migration (internal). */
export declare const ctx: RunContext;
/** The migration lock held by this instance (internal). */
export declare const lease: Lease;
export declare const result: MigrateResult;
