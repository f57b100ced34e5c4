import pc from 'picocolors';
import { loadConfig } from '../project/load-config.ts';
import { plan } from '../project/plan.ts';
import { describeChange } from '../project/render-migration.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';
import { parseRenameFlags, terminalRenameResolver } from './rename-flags.ts';

interface Options {
  rename?: string[];
  drop?: string[];
  dialect?: 'postgres' | 'mysql' | 'sqlite';
}

export default async function planCommand(
  options: Options,
  globals: GlobalOptions,
  args: string[] = [],
): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const resolveRename = globals.json ? undefined : terminalRenameResolver();
  const result = await plan({
    config,
    renames: parseRenameFlags(options.rename),
    drops: options.drop ?? [],
    ...(options.dialect ? { dialect: options.dialect } : {}),
    ...(args[0] ? { name: args[0] } : {}),
    ...(resolveRename ? { resolveRename } : {}),
  });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  if (!result.changed) {
    process.stdout.write('No changes: the models match the latest snapshot.\n');
    return 0;
  }
  const out: string[] = [
    pc.bold('Changes'),
    ...result.changes.map((c) => `  ${riskColor(c.risk)(describeChange(c))}`),
  ];
  if (result.findings.length > 0) {
    out.push(
      pc.bold('Lint'),
      ...result.findings.map(
        (f) => `  ${f.severity} ${f.rule}${f.path ? ` at ${f.path}` : ''}: ${f.message}`,
      ),
    );
  }
  if (result.sql !== '') {
    // unindented and uncoloured: the block is the script `evolve sql` prints once the migration is written
    out.push(
      pc.bold(`SQL (${result.dialect}) of ${result.id}, as \`evolve sql ${result.id}\` will print it`),
      result.sql.trimEnd(),
    );
  }
  out.push('', 'Nothing written. Run `evolve generate` to write the migration.');
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function riskColor(risk: string): (s: string) => string {
  return risk === 'safe' ? (s) => s : risk === 'needs-backfill' ? pc.yellow : pc.red;
}
