import type { Row } from '@evolve/core';
import type { Upgrader } from '../upgrader-types.ts';
import type { DocumentStore } from './document-store.ts';
import type { VersionedStats } from './versioned-collection.ts';

/** What the parts of one `versioned()` collection share: the store, the upgrader, its fields and counters. */
export interface VersionedContext<T extends Row = Row> {
  store: DocumentStore;
  upgrader: Upgrader<T>;
  /** The version field and the revision field. */
  vf: string;
  rf: string;
  stats: VersionedStats;
}
