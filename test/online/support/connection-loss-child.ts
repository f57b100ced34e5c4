// An application calling migrate() at startup with the pool the README shows: a plain pg.Pool (mysql2 pool)
// in Kysely's dialect, no 'error' listener anywhere. It prints every progress event and its result, and
// exits 1 when migrate() returned an error. A crash shows as an uncaught exception on stderr, no RESULT line.
import { migrate } from '@evolve/sql';
import { applicationKysely } from '../../harness/src/application-kysely.ts';
import { ACCOUNT_MIGRATIONS } from '../../reliability/support/account-history.ts';
import { decodeArgs, report } from '../../reliability/support/child-args.ts';

export interface ConnectionLossChildArgs {
  dialect: 'postgres' | 'mysql';
  url: string;
  batchSize: number;
  pauseMs: number;
}

/** What the child reports on its RESULT line. */
export interface ConnectionLossReport {
  applied: { id: string; status: string }[];
  error?: { code: string; message: string; path?: string | undefined };
}

const args = decodeArgs<ConnectionLossChildArgs>();
const db = await applicationKysely(args.dialect, args.url);
const result = await migrate(db, {
  migrations: ACCOUNT_MIGRATIONS,
  batchSize: args.batchSize,
  pauseMs: args.pauseMs,
  onProgress: (event) => process.stdout.write(`EVENT ${JSON.stringify(event)}\n`),
});
const out: ConnectionLossReport = {
  applied: result.applied.map((r) => ({ id: r.id, status: r.status })),
  ...(result.error
    ? { error: { code: result.error.code, message: result.error.message, path: result.error.path } }
    : {}),
};
report(out);
await db.destroy();
process.exitCode = result.error ? 1 : 0;
