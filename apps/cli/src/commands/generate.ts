import { relative } from 'node:path';
import { describeChange, generate, loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { rememberUnchanged } from '../fast/generate-cache.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';
import { parseRenameFlags, terminalRenameResolver } from './rename-flags.ts';

interface Options {
  rename?: string[];
  drop?: string[];
}

export default async function generateCommand(
  options: Options,
  globals: GlobalOptions,
  args: string[],
): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const resolveRename = globals.json ? undefined : terminalRenameResolver();
  const result = await generate({
    config,
    ...(args[0] ? { name: args[0] } : {}),
    renames: parseRenameFlags(options.rename),
    drops: options.drop ?? [],
    ...(resolveRename ? { resolveRename } : {}),
  });
  rememberUnchanged(config);
  if (globals.json) {
    printJson(result);
    return 0;
  }
  if (result.status === 'unchanged') {
    process.stdout.write(`No changes: the models match the latest snapshot. Nothing written.\n`);
    return 0;
  }
  process.stdout.write(`${pc.green('wrote')} ${relative(config.root, result.file)}\n`);
  for (const change of result.changes) process.stdout.write(`  ${describeChange(change)}\n`);
  for (const f of result.findings) {
    process.stdout.write(
      `  ${f.severity === 'error' ? pc.red(f.severity) : pc.yellow(f.severity)} ${f.rule}: ${f.message}\n`,
    );
  }
  if (result.hasTodos) {
    process.stdout.write(
      `${pc.yellow('todo')} fill the todo(...) transforms in ${relative(config.root, result.file)} before applying\n`,
    );
  }
  return 0;
}
