import type { Kysely } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import type { MigrateProgressEvent } from './migrate-options.ts';

/** What every part of one run shares: the pinned connection, the dialect, the settings. */
export interface RunContext {
  /** The one connection pinned for the whole run. */
  conn: Kysely<any>;
  caps: DialectCapabilities;
  batchSize: number;
  pauseMs: number;
  signal?: AbortSignal | undefined;
  progress(event: MigrateProgressEvent): void;
  /** Renews a lease-based lock when due (throttled; cheap to call often). */
  keepAlive(): Promise<void>;
}
