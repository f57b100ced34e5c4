import { EvolveError } from '@evolve/core';
import type { MigrateOptions } from './migrate-options.ts';

/** How DDL statements and backfill batches wait for locks that other sessions hold. */
export interface LockWaitSettings {
  /** How long one statement waits for a lock before its transaction gives up (`statementLockTimeoutMs`). */
  timeoutMs: number;
  /** Retries after a lock timeout before LOCK_TIMEOUT (`lockRetries`). */
  retries: number;
  /** The first pause before a retry; it doubles with each retry (`lockRetryDelayMs`). */
  retryDelayMs: number;
}

export const LOCK_WAIT_DEFAULTS: Readonly<LockWaitSettings> = Object.freeze({
  timeoutMs: 1_000,
  retries: 5,
  retryDelayMs: 250,
});

/** The longest pause between two attempts, however many retries were asked for. */
export const MAX_RETRY_DELAY_MS = 10_000;

/**
 * The lock-wait settings of a run, from its options (defaults for what is absent). A value that is not a
 * finite number, or is negative (or zero for the timeout), is INVALID_CONFIG naming the option.
 *
 * @example
 * lockWaitSettings({ statementLockTimeoutMs: 500 }) // { timeoutMs: 500, retries: 5, retryDelayMs: 250 }
 */
export function lockWaitSettings(
  options: Pick<MigrateOptions, 'statementLockTimeoutMs' | 'lockRetries' | 'lockRetryDelayMs'>,
): LockWaitSettings {
  return {
    timeoutMs: setting(options, 'statementLockTimeoutMs', LOCK_WAIT_DEFAULTS.timeoutMs, 1),
    retries: setting(options, 'lockRetries', LOCK_WAIT_DEFAULTS.retries, 0),
    retryDelayMs: setting(options, 'lockRetryDelayMs', LOCK_WAIT_DEFAULTS.retryDelayMs, 0),
  };
}

function setting(
  options: Pick<MigrateOptions, 'statementLockTimeoutMs' | 'lockRetries' | 'lockRetryDelayMs'>,
  name: 'statementLockTimeoutMs' | 'lockRetries' | 'lockRetryDelayMs',
  fallback: number,
  min: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new EvolveError(
      'INVALID_CONFIG',
      `${name} must be a number of at least ${min}, got ${JSON.stringify(value)}`,
      { path: name },
    );
  }
  return Math.trunc(value);
}
