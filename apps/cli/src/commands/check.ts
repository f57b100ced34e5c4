import { loadConfig } from '@evolve/project';
import { check } from '../project/check.ts';
import { formatCheck } from './format-check.ts';
import { configOptions, type GlobalOptions } from './global-options.ts';

interface Options {
  db?: boolean;
  format?: 'text' | 'json' | 'github';
  runs?: string;
  seed?: string;
}

export default async function checkCommand(options: Options, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await check({
    config,
    ...(options.db ? { db: true } : {}),
    ...(options.runs !== undefined ? { runs: count(options.runs, '--runs') } : {}),
    ...(options.seed !== undefined ? { seed: seedOf(options.seed) } : {}),
  });
  const format = globals.json ? 'json' : (options.format ?? 'text');
  process.stdout.write(formatCheck(result, format));
  return result.exitCode;
}

function count(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a whole number, got ${text}`);
  return n;
}

/** `--seed random` draws a fresh seed (printed with any finding, so it can be replayed). */
function seedOf(text: string): number {
  return text === 'random' ? Math.floor(Math.random() * 2 ** 31) : count(text, '--seed');
}
