import { EvolveError } from '@evolve/core';

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

const AT_LEAST_ONE = ['batchSize', 'lockLeaseMs', 'targetBatchMs', 'statementLockTimeoutMs'] as const;
const NON_NEGATIVE = [
  'lockTimeoutMs',
  'lockRetries',
  'lockRetryDelayMs',
  'pauseMs',
  'catchUpTimeoutMs',
] as const;
const BOOLEANS = ['allowOutOfOrder', 'acknowledgeDataLoss', 'validateTransforms'] as const;
const FUNCTIONS = ['onProgress', 'compile'] as const;

const invalid = (path: string, message: string) => new EvolveError('INVALID_CONFIG', message, { path });

/**
 * Checks migrate()'s options before anything runs: every setting has its type and range, so a typo such as
 * `lockTimeoutMs: '5s'` is INVALID_CONFIG naming the option instead of a default silently used.
 *
 * @example
 * checkMigrateOptions({ migrations, batchSize: 0 }); // throws: batchSize must be a number of at least 1, got 0
 */
export function checkMigrateOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', `the options must be an object ({ migrations }), not ${kindOf(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const name of [...AT_LEAST_ONE, ...NON_NEGATIVE]) {
    const v = o[name];
    if (v === undefined) continue;
    const min = (AT_LEAST_ONE as readonly string[]).includes(name) ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      throw invalid(
        name,
        `${name} must be a number of at least ${min}, got ${JSON.stringify(v) ?? kindOf(v)}`,
      );
    }
  }
  for (const name of BOOLEANS) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw invalid(name, `${name} must be true or false, got ${kindOf(o[name])}`);
    }
  }
  for (const name of FUNCTIONS) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw invalid(name, `${name} must be a function, got ${kindOf(o[name])}`);
    }
  }
  if (o.to !== undefined && typeof o.to !== 'string') {
    throw invalid('to', `to must be a migration id (a string), got ${kindOf(o.to)}`);
  }
  if (o.folder !== undefined && typeof o.folder !== 'string') {
    throw invalid('folder', `folder must be a path (a string), got ${kindOf(o.folder)}`);
  }
}
