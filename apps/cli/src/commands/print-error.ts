import { isEvolveErrorLike, renameCandidates } from '@evolve/project';
import pc from 'picocolors';
import type { GlobalOptions } from './global-options.ts';

/**
 * Prints an error as one line, `error CODE: message (at path)`, plus a hint when one helps; the stack only
 * with --debug. Returns the exit code (1).
 */
export function printError(error: unknown, globals: GlobalOptions): number {
  if (isEvolveErrorLike(error)) {
    const at = error.path ? ` (at ${error.path})` : '';
    process.stderr.write(`${pc.red('error')} ${error.code}: ${oneLine(error)}${at}\n`);
    // The first line is the error; further lines of a long message follow as detail.
    const rest =
      error.code === 'AMBIGUOUS_RENAME'
        ? []
        : error.message
            .split('\n')
            .slice(1)
            .filter((l) => l.trim());
    for (const line of rest) process.stderr.write(pc.dim(`  ${line.trim()}\n`));
    const hint = hintFor(error);
    if (hint) process.stderr.write(`${hint}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${pc.red('error')}: ${message}\n`);
  }
  if (globals.debug && error instanceof Error && error.stack) {
    process.stderr.write(`${pc.dim(error.stack)}\n`);
    if (error.cause instanceof Error && error.cause.stack)
      process.stderr.write(`${pc.dim(`cause: ${error.cause.stack}`)}\n`);
  } else if (!isEvolveErrorLike(error)) {
    process.stderr.write(pc.dim('(run with --debug for the stack trace)\n'));
  }
  return 1;
}

function hintFor(error: { code: string; path?: string; details?: unknown }): string | undefined {
  if (error.code === 'AMBIGUOUS_RENAME') return renameHint(error);
  if (
    error.code === 'UNACKNOWLEDGED_CHANGE' &&
    /acknowledgeDataLoss/.test((error as { message?: string }).message ?? '')
  ) {
    return 'hint: pass --yes to revert it anyway (the data it drops is lost), or acknowledge it in the migration';
  }
  return undefined;
}

/** One line for an error: multi-line messages keep their first line (details follow in hints). */
function oneLine(error: { code: string; message: string; details?: unknown }): string {
  if (error.code === 'AMBIGUOUS_RENAME') {
    const open = renameCandidates(error);
    if (open.length > 0) {
      const list = open
        .map((o) => `${o.removed} vanished (candidates: ${o.candidates.join(', ')})`)
        .join('; ');
      return `cannot tell renames from drops and adds: ${list}`;
    }
  }
  return error.message
    .split('\n')[0]!
    .replace(/; pass acknowledgeDataLoss: true to revert it anyway$/, '')
    .replace(/[:\s]+$/, '');
}

/** Names the flags that answer an ambiguous rename without a terminal. */
export function renameHint(error: { path?: string; details?: unknown }): string {
  const open = renameCandidates(error);
  if (open.length === 0)
    return 'hint: pass --rename Model.old=new (a rename) or --drop Model.old (a drop and an add)';
  const flags = open.map(
    (o) =>
      `${o.candidates.map((c) => `--rename ${o.removed}=${c}`).join(' or ')} (rename), or --drop ${o.removed} (drop and add)`,
  );
  return `hint: without a terminal to ask on, answer with flags: ${flags.join('; ')}`;
}
