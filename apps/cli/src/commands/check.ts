import { check } from '../project/check.ts';
import { loadConfig } from '../project/load-config.ts';
import { formatCheck } from './format-check.ts';
import { configOptions, type GlobalOptions } from './global-options.ts';

interface Options {
  db?: boolean;
  format?: 'text' | 'json' | 'github';
}

export default async function checkCommand(options: Options, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await check({ config, ...(options.db ? { db: true } : {}) });
  const format = globals.json ? 'json' : (options.format ?? 'text');
  process.stdout.write(formatCheck(result, format));
  return result.exitCode;
}
