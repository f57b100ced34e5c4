import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import { sleep } from './sleep.ts';

/** How long a run that lost its connection keeps the guard up, for the driver's late 'error' events. */
const LATE_EVENTS_MS = 250;

/** The dialects of the runs in flight in this process (a run may share its dialect with others). */
const runs = new Map<symbol, DialectCapabilities>();

/**
 * A driver may report a terminated backend as an 'error' event on the client that is checked out (or, once
 * back in the pool, on the pool). Kysely exposes neither to evolve, and with no listener Node turns the event
 * into an uncaught exception that ends the process: `migrate()` would crash instead of returning its result.
 * While runs are in flight, this claims exactly the uncaught exceptions that a run's dialect classifies as a
 * lost connection (the run itself fails on its next statement and reports CONNECTION_LOST). Every other
 * uncaught exception keeps Node's default: where no other listener exists, it still ends the process.
 *
 * @example
 * const guard = guardConnectionLoss(capabilitiesFor(db));
 * try {
 *   // run the migration on its connection
 * } finally {
 *   await guard.end({ lost: true });
 * }
 */
export function guardConnectionLoss(caps: DialectCapabilities): {
  end(options: { lost: boolean }): Promise<void>;
} {
  const id = Symbol('migrate run');
  if (runs.size === 0) process.on('uncaughtException', claimLostConnection);
  runs.set(id, caps);
  return {
    async end({ lost }) {
      // The socket's end can arrive after the failed statement returned: stay up for it.
      if (lost) await sleep(LATE_EVENTS_MS);
      if (!runs.delete(id) || runs.size > 0) return;
      process.off('uncaughtException', claimLostConnection);
    },
  };
}

function claimLostConnection(error: unknown): void {
  for (const caps of runs.values()) if (caps.isConnectionLost(error)) return;
  if (process.listenerCount('uncaughtException') > 1) return;
  // Nobody else handles it: do what Node does without listeners, end the process with this error.
  process.off('uncaughtException', claimLostConnection);
  runs.clear();
  process.nextTick(() => {
    throw error;
  });
}
