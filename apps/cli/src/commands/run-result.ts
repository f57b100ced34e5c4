import pc from 'picocolors';
import type { ApplyResult } from '../project/apply.ts';
import type { GlobalOptions } from './global-options.ts';
import { printJson } from './global-options.ts';
import { printError } from './print-error.ts';

/**
 * Prints an up/down result and returns the exit code: 1 when a runner reported an error. Warnings (what a
 * server could not do, such as validators on FerretDB) are printed, never dropped.
 */
export function reportRun(result: ApplyResult, globals: GlobalOptions, verb: 'applied' | 'reverted'): number {
  if (globals.json) {
    printJson(result);
    return result.error ? 1 : 0;
  }
  const documents = (r: ApplyResult['applied'][number]) => 'database' in r && r.database === 'documents';
  const both = result.applied.some(documents) && result.applied.some((r) => !documents(r));
  const done = result.applied.filter((r) => r.status === 'Success');
  if (result.applied.length === 0 && !result.error) {
    process.stdout.write(
      verb === 'applied' ? 'Nothing to apply: the database is up to date.\n' : 'Nothing to revert.\n',
    );
  } else if (done.length === 0 && result.error) {
    // nothing was applied: the error alone says what happened (regression: "applied 0 migration(s)" came first)
  } else if (!both) {
    process.stdout.write(
      `${pc.green(verb)} ${done.length} migration(s)${done.length ? `: ${done.map((r) => r.id).join(', ')}` : ''}\n`,
    );
  } else {
    for (const [where, list] of [
      ['the SQL database', done.filter((r) => !documents(r))],
      ['the documents database', done.filter(documents)],
    ] as const) {
      process.stdout.write(
        `${pc.green(verb)} ${list.length} migration(s) on ${where}${list.length ? `: ${list.map((r) => r.id).join(', ')}` : ''}\n`,
      );
    }
  }
  for (const w of result.warnings ?? [])
    process.stderr.write(`${pc.yellow('warning')} ${w.code}: ${w.message}\n`);
  if (result.error) return printError(result.error, globals);
  return 0;
}
