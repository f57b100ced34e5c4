import type { Row } from '@evolve/core';
import type { Upgrader } from '../upgrader-types.ts';
import type { DocumentStore, SortSpec } from './document-store.ts';
import type { Filter } from './filter.ts';
import type { Projection } from './project-document.ts';
import type { VersionedCursor } from './versioned-cursor.ts';

export interface VersionedOptions {
  /** Replace upgraded documents in the store (compare-and-set on version and revision). Default false. */
  writeBack?: boolean;
  /** The revision counter every write through `versioned` bumps (default `_rev`). */
  revisionField?: string;
  /** Attempts of a read-modify-write before WRITE_CONFLICT (default 100). */
  maxAttempts?: number;
  /** Called when a write-back fails for another reason than losing the race (the read still succeeds). */
  onWriteBackError?: (error: unknown, id: unknown) => void;
}

/** Counters of what a versioned collection did, for monitoring and tests. */
export interface VersionedStats {
  /** Documents upgraded in memory (by reads and by writes to outdated documents). */
  upgraded: number;
  /** Upgraded documents a read wrote back. */
  writtenBack: number;
  /** Outdated documents an update wrote at the latest version. */
  upgradedOnWrite: number;
  conflicts: number;
  writeBackErrors: number;
}

export interface FindOneOptions {
  sort?: SortSpec;
  skip?: number;
  projection?: Projection;
}

export interface FindManyOptions extends FindOneOptions {
  limit?: number;
}

export interface UpdateResultLike {
  acknowledged: true;
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: 0;
  upsertedId: null;
}

/** The surface `versioned()` returns: the common MongoDB Collection methods, with upgraded reads. */
export interface VersionedCollection<T extends Row = Row> {
  readonly store: DocumentStore;
  readonly upgrader: Upgrader<T>;
  readonly stats: Readonly<VersionedStats>;
  find(filter?: Filter, options?: FindManyOptions): VersionedCursor<T>;
  findOne(filter?: Filter, options?: FindOneOptions): Promise<T | null>;
  aggregate(
    pipeline: readonly Record<string, unknown>[],
    options?: { upgrade?: boolean },
  ): VersionedCursor<Row>;
  countDocuments(filter?: Filter): Promise<number>;
  insertOne(doc: Row): Promise<{ acknowledged: true; insertedId: unknown }>;
  insertMany(
    docs: readonly Row[],
  ): Promise<{ acknowledged: true; insertedCount: number; insertedIds: Record<number, unknown> }>;
  updateOne(filter: Filter, update: Record<string, unknown>): Promise<UpdateResultLike>;
  updateMany(filter: Filter, update: Record<string, unknown>): Promise<UpdateResultLike>;
  replaceOne(filter: Filter, replacement: Row): Promise<UpdateResultLike>;
  deleteOne(filter?: Filter): Promise<{ acknowledged: true; deletedCount: number }>;
  deleteMany(filter?: Filter): Promise<{ acknowledged: true; deletedCount: number }>;
}
