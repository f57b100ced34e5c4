import { init } from '../project/init.ts';
import { type GlobalOptions, printJson } from './global-options.ts';

export default async function initCommand(_options: unknown, globals: GlobalOptions): Promise<number> {
  const result = await init({
    ...(globals.cwd ? { cwd: globals.cwd } : {}),
    ...(globals.url ? { url: globals.url } : {}),
  });
  if (globals.json) printJson(result);
  else {
    for (const file of result.files) process.stdout.write(`created ${file}\n`);
    process.stdout.write('\nNext: edit src/models.ts, then run `evolve generate` and `evolve up`.\n');
  }
  return 0;
}
