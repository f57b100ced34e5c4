import { type Kysely, type RawBuilder, sql } from 'kysely';

/** A transaction another session keeps open, holding the locks its statements took, until `release()`. */
export interface OpenTransaction {
  release(): Promise<void>;
}

/**
 * Runs `statements` in a transaction on a connection of its own and keeps it open: the locks they take
 * (a table lock, a row lock, an uncommitted key) make the migrating session wait at a known statement.
 * `release()` rolls it back.
 */
export async function openTransaction(
  db: Kysely<any>,
  statements: RawBuilder<unknown>[],
): Promise<OpenTransaction> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ready: (error?: unknown) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    ready = (error) => (error ? reject(error) : resolve());
  });
  const finished = db
    .connection()
    .execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        for (const statement of statements) await statement.execute(conn);
        ready();
        await released;
      } finally {
        await sql`rollback`.execute(conn);
      }
    })
    .catch((error: unknown) => ready(error));
  await started;
  return {
    async release() {
      release();
      await finished;
    },
  };
}

/**
 * Waits until a PostgreSQL session named `applicationName` waits for a lock in a statement matching
 * `query` (an ILIKE pattern), then terminates its backend with pg_terminate_backend. Resolves with the
 * statement it interrupted.
 */
export async function terminateWhenBlocked(
  observer: Kysely<any>,
  options: { applicationName: string; query: string; timeoutMs?: number },
): Promise<string> {
  const until = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < until) {
    const { rows } = await sql<{ pid: number; query: string }>`
      select pid, query from pg_stat_activity
      where application_name = ${options.applicationName} and wait_event_type = 'Lock'
        and query ilike ${options.query}`.execute(observer);
    const victim = rows[0];
    if (victim) {
      await sql`select pg_terminate_backend(${victim.pid})`.execute(observer);
      return victim.query;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no session ${options.applicationName} waited in a statement like ${options.query}`);
}
