import { down } from '../project/apply.ts';
import { loadConfig } from '../project/load-config.ts';
import { configOptions, type GlobalOptions } from './global-options.ts';
import { progressDisplay } from './progress-display.ts';
import { reportRun } from './run-result.ts';

export default async function downCommand(options: { to?: string }, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const progress = await progressDisplay(!globals.json);
  try {
    const result = await down({
      config,
      ...(options.to ? { to: options.to } : {}),
      ...(globals.yes ? { acknowledgeDataLoss: true } : {}),
      onProgress: progress.onProgress,
    });
    progress.stop();
    return reportRun(result, globals, 'reverted');
  } finally {
    progress.stop();
  }
}
