import { relative } from 'node:path';
import { loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { discard } from '../project/discard.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

export default async function discardCommand(_options: unknown, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await discard({ config });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  const folder = relative(config.root, config.migrationsDir) || '.';
  process.stdout.write(`${pc.green('discarded')} ${result.id}\n`);
  process.stdout.write(`  removed ${result.removed.map((f) => `${folder}/${f}`).join(', ')}\n`);
  process.stdout.write(`  restored ${result.restored.map((f) => `${folder}/${f}`).join(', ')}\n`);
  return 0;
}
