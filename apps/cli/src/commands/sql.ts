import { loadConfig } from '@evolve/project';
import { sqlPreview } from '../project/sql-preview.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

interface Options {
  dialect?: 'postgres' | 'mysql' | 'sqlite';
  all?: boolean;
}

export default async function sqlCommand(
  options: Options,
  globals: GlobalOptions,
  ids: string[],
): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await sqlPreview({
    config,
    ids,
    ...(options.all ? { all: true } : {}),
    ...(options.dialect ? { dialect: options.dialect } : {}),
  });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  if (result.migrations.length === 0) {
    process.stdout.write('-- no pending migrations (pass --all or ids to see applied ones)\n');
    return 0;
  }
  const out: string[] = [];
  for (const m of result.migrations) {
    out.push(`-- migration ${m.id} (${result.dialect})`, m.text.trimEnd(), '');
  }
  process.stdout.write(`${out.join('\n')}`);
  return 0;
}
