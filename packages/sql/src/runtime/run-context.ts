import type { FieldSnapshot } from '@evolve/core';
import type { Kysely } from 'kysely';
import type { BackfillPlan } from '../compiled-step.ts';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import type { Lease } from './lease.ts';
import type { LockWaitSettings } from './lock-wait-settings.ts';
import type { MigrateProgressEvent } from './migrate-options.ts';

/** What every part of one run shares: the pinned connection, the dialect, the settings. */
export interface RunContext {
  /** The one connection pinned for the whole run. */
  conn: Kysely<any>;
  caps: DialectCapabilities;
  /** Rows per batch: fixed when the caller set it, else the first batch's size, then adapted. */
  batchSize: number;
  /** When set, batch sizes adapt so that each batch transaction lasts about this long. */
  targetBatchMs?: number | undefined;
  /** Undefined: pause as long as the batch before took. */
  pauseMs: number | undefined;
  /** How long a catch-up loop may find its log full before it gives up (CATCH_UP_BEHIND). */
  catchUpTimeoutMs: number;
  signal?: AbortSignal | undefined;
  progress(event: MigrateProgressEvent): void;
  /** The field a transform fills, at the version the migration leads to (for checking results). */
  targetField(migrationId: string, model: string, field: string): FieldSnapshot | undefined;
  /**
   * Whether a backfill's table and columns exist before the migration starts (so its transforms can be
   * tried on every row first); false when unknown or when `validateTransforms` is off.
   */
  readableBefore(migrationId: string, plan: BackfillPlan): boolean;
  /** The run's lease on the migration lock; journal and progress writes are fenced with it. */
  lease: Lease;
  /** Renews the lease when due (throttled; cheap to call often); LOCK_LOST once another process took it. */
  keepAlive(): Promise<void>;
  /** How statements wait for other sessions' locks (`lockWaitSettings(options)`; defaults when absent). */
  lockWait?: LockWaitSettings | undefined;
}
