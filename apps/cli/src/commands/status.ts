import pc from 'picocolors';
import { loadConfig } from '../project/load-config.ts';
import { status } from '../project/status.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

export default async function statusCommand(_options: unknown, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await status({ config });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  const label = {
    applied: pc.green('applied     '),
    pending: pc.yellow('pending     '),
    'out-of-order': pc.red('out-of-order'),
    modified: pc.red('modified    '),
  };
  const out = [`${result.database} (${result.dialect})`];
  for (const m of result.migrations) out.push(`  ${label[m.state]} ${m.id}`);
  for (const id of result.unknown)
    out.push(`  ${pc.red('unknown     ')} ${id} (applied, not in the migrations folder)`);
  out.push(`${result.applied.length} applied, ${result.pending.length} pending`);
  process.stdout.write(`${out.join('\n')}\n`);
  return result.modified.length > 0 || result.outOfOrder.length > 0 ? 1 : 0;
}
