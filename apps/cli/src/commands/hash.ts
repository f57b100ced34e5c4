import { rehash } from '@evolve/project';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

export default async function hashCommand(_options: unknown, globals: GlobalOptions): Promise<number> {
  const result = await rehash(configOptions(globals));
  if (globals.json) printJson(result);
  else process.stdout.write(`wrote evolve.sum (${result.files.length} migrations, ${result.total})\n`);
  return 0;
}
