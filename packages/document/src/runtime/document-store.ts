import type { Row } from '@evolve/core';
import type { UpdateSpec } from './apply-update.ts';
import type { Filter } from './filter.ts';

/** Sort order: field path -> 1 (ascending) or -1 (descending). */
export type SortSpec = Readonly<Record<string, 1 | -1>>;

export interface FindOptions {
  sort?: SortSpec;
  limit?: number;
  skip?: number;
  /** Keyset pagination: only documents whose `_id` is greater than this (combine with `sort: { _id: 1 }`). */
  after?: unknown;
}

/**
 * Top-level fields and the raw values a compare-and-set expects them to hold; `undefined` means the
 * field must be absent.
 */
export type Expectation = Readonly<Record<string, unknown>>;

/** One compare-and-set write: replace document `id` by `doc` only while it still holds `expect`. */
export interface CasWrite {
  id: unknown;
  expect: Expectation;
  /** The full new document (its `_id` is ignored; the stored id is kept). */
  doc: Row;
}

/** A sweep's saved position. */
export interface SweepCheckpoint {
  /** The last `_id` the sweep finished. */
  after: unknown;
  scanned: number;
  upgraded: number;
  updatedAt: string;
}

/** Where sweeps keep their checkpoints (an `evolve_sweeps` collection/table beside the documents). */
export interface CheckpointStore {
  load(key: string): Promise<SweepCheckpoint | undefined>;
  save(key: string, checkpoint: SweepCheckpoint): Promise<void>;
  clear(key: string): Promise<void>;
}

/**
 * The small interface the document runtime (`versioned`, `sweep`) needs from a store. Adapters:
 * `createMongoDocumentStore` (driver Collection), `createSqlDocumentStore` (JSON in a SQL
 * table through Kysely) and `createMemoryDocumentStore`.
 */
export interface DocumentStore {
  readonly kind: 'document-store';
  /** Collection or table name (part of sweep checkpoint keys). */
  readonly name: string;
  /** Documents matching `filter`, read fully before the first one is yielded or streamed. */
  find(filter: Filter, options?: FindOptions): AsyncIterable<Row>;
  findOne(filter: Filter, options?: Omit<FindOptions, 'limit'>): Promise<Row | null>;
  count(filter: Filter): Promise<number>;
  /** A fresh id for a document inserted without one (a UUID string; an ObjectId on MongoDB). */
  newId(): unknown;
  /** Inserts documents (an `_id` is generated when missing) and returns their ids in order. */
  insert(docs: readonly Row[]): Promise<unknown[]>;
  /** Compare-and-set replaces, one result per write: `true` when the write won. */
  compareAndSet(writes: readonly CasWrite[]): Promise<boolean[]>;
  /**
   * Applies `update` atomically to document `id` if it still holds `expect`; `true` when it did. `read`
   * is the document as the caller last read it: a store that must pin the exact state it updates (the
   * MongoDB adapter on FerretDB, through its write claims) takes the revision from it instead of reading.
   */
  update(id: unknown, expect: Expectation, update: UpdateSpec, read?: Row): Promise<boolean>;
  /** Deletes matching documents (at most one with `limit: 1`) and returns how many. */
  delete(filter: Filter, options?: { limit?: 1 }): Promise<number>;
  /** Runs an aggregation pipeline where the store supports it natively (MongoDB). */
  aggregate?(pipeline: readonly Record<string, unknown>[]): AsyncIterable<Row>;
  readonly checkpoints: CheckpointStore;
}

/**
 * Whether a value is a DocumentStore (rather than a MongoDB driver Collection).
 *
 * @example
 * isDocumentStore(createMemoryDocumentStore({ name: 'users' })); // true
 */
export function isDocumentStore(value: unknown): value is DocumentStore {
  return (value as { kind?: unknown } | null)?.kind === 'document-store';
}
