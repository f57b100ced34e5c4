import pc from 'picocolors';
import type { RunResult } from '../project/sql-api.ts';
import type { GlobalOptions } from './global-options.ts';
import { printJson } from './global-options.ts';
import { printError } from './print-error.ts';

/** Prints an up/down result and returns the exit code: 1 when the runner reported an error. */
export function reportRun(result: RunResult, globals: GlobalOptions, verb: 'applied' | 'reverted'): number {
  if (globals.json) {
    printJson(result);
    return result.error ? 1 : 0;
  }
  const done = result.applied.filter((r) => r.status === 'Success');
  if (result.applied.length === 0 && !result.error) {
    process.stdout.write(
      verb === 'applied' ? 'Nothing to apply: the database is up to date.\n' : 'Nothing to revert.\n',
    );
  } else {
    process.stdout.write(
      `${pc.green(verb)} ${done.length} migration(s)${done.length ? `: ${done.map((r) => r.id).join(', ')}` : ''}\n`,
    );
  }
  if (result.error) return printError(result.error, globals);
  return 0;
}
