import { loadConfig } from '@evolve/project';
import { up } from '../project/apply.ts';
import { configOptions, type GlobalOptions } from './global-options.ts';
import { progressDisplay } from './progress-display.ts';
import { reportRun } from './run-result.ts';

export default async function upCommand(options: { to?: string }, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const progress = await progressDisplay(!globals.json);
  try {
    const result = await up({
      config,
      ...(options.to ? { to: options.to } : {}),
      onProgress: progress.onProgress,
    });
    progress.stop();
    return reportRun(result, globals, 'applied');
  } finally {
    progress.stop();
  }
}
