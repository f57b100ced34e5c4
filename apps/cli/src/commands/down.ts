import { loadConfig } from '@evolve/project';
import { down } from '../project/apply.ts';
import { configOptions, type GlobalOptions } from './global-options.ts';
import { progressDisplay } from './progress-display.ts';
import { reportRun } from './run-result.ts';

/** Asks on a terminal whether to revert steps that lose data; undefined without a terminal. */
async function confirmDataLoss(message: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const prompts = await import('@clack/prompts');
  const answer = await prompts.confirm({ message: `${message}\nRevert anyway?`, initialValue: false });
  return answer === true;
}

export default async function downCommand(options: { to?: string }, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const progress = await progressDisplay(!globals.json);
  const run = (acknowledgeDataLoss: boolean) =>
    down({
      config,
      ...(options.to ? { to: options.to } : {}),
      ...(acknowledgeDataLoss ? { acknowledgeDataLoss: true } : {}),
      onProgress: progress.onProgress,
    });
  try {
    let result = await run(globals.yes === true);
    if (result.error?.code === 'UNACKNOWLEDGED_CHANGE' && !globals.yes && !globals.json) {
      progress.stop();
      if (await confirmDataLoss(result.error.message)) result = await run(true);
    }
    progress.stop();
    return reportRun(result, globals, 'reverted');
  } finally {
    progress.stop();
  }
}
