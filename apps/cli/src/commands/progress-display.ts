import pc from 'picocolors';
import type { ProgressEvent } from '../project/apply.ts';

/**
 * Shows runner progress: a line per migration and step, and a progress bar (cli-progress, on a terminal)
 * for each backfill. Without a terminal, backfills print a line when they finish.
 */
export async function progressDisplay(
  enabled: boolean,
): Promise<{ onProgress: (e: ProgressEvent) => void; stop(): void }> {
  const tty = process.stderr.isTTY === true;
  const cliProgress = tty ? (await import('cli-progress')).default : undefined;
  let bar: InstanceType<NonNullable<typeof cliProgress>['SingleBar']> | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (e: ProgressEvent) => {
    if (!enabled) return;
    if (e.type === 'migration-start') {
      stopBar();
      process.stderr.write(
        `${e.direction === 'down' ? pc.yellow('reverting') : pc.cyan('applying')} ${e.id}\n`,
      );
    } else if (e.type === 'step') {
      stopBar();
      process.stderr.write(pc.dim(`  ${e.description}\n`));
    } else if (e.type === 'backfill') {
      const done = Number(e.rowsDone ?? 0);
      const total = Math.max(Number(e.totalEstimate ?? 0), done, 1);
      if (cliProgress) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `  backfill ${e.table} [{bar}] {value}/{total} rows`,
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        }
        bar.setTotal(total);
        bar.update(done);
        if (e.done) stopBar();
      } else if (e.done) {
        process.stderr.write(pc.dim(`  backfilled ${done} rows of ${e.table}\n`));
      }
    } else if (e.type === 'migration-done') {
      stopBar();
      process.stderr.write(`${pc.green('done')} ${e.id} (${Math.round(Number(e.durationMs))} ms)\n`);
    } else if (e.type === 'lock-retry') {
      stopBar();
      const heldBy = Array.isArray(e.heldBy) && e.heldBy.length > 0 ? ` held by ${String(e.heldBy[0])}` : '';
      process.stderr.write(
        pc.yellow(
          `  waiting for a lock on ${String(e.table)}${heldBy}: attempt ${String(e.attempt)} of ${String(e.attempts)} timed out, retrying in ${String(e.retryInMs)} ms\n`,
        ),
      );
    } else if (e.type === 'lock-wait' && Number(e.waitedMs) === 0) {
      process.stderr.write(pc.dim('waiting for another instance holding the migration lock...\n'));
    }
  };
  return { onProgress, stop: stopBar };
}
