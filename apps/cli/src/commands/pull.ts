import { relative } from 'node:path';
import { loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { pull } from '../project/pull.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

interface Options {
  tables?: string[];
  markApplied?: boolean;
  force?: boolean;
  sample?: string;
}

export default async function pullCommand(options: Options, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const tables = options.tables
    ?.flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const result = await pull({
    config,
    ...(tables && tables.length > 0 ? { tables } : {}),
    ...(options.markApplied ? { markApplied: true } : {}),
    ...(options.force ? { force: true } : {}),
    ...(options.sample !== undefined ? { sample: sampleSize(options.sample) } : {}),
  });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  const rel = (p: string) => relative(config.root, p) || p;
  process.stdout.write(
    `${pc.green('wrote')} ${rel(result.schemaFile)} (${result.models.length} model${result.models.length === 1 ? '' : 's'}: ${result.models.map((m) => m.name).join(', ')})\n`,
  );
  if (result.baseline) {
    process.stdout.write(`${pc.green('wrote')} ${rel(result.baseline.file)}\n`);
    process.stdout.write(
      result.markedApplied
        ? `  recorded ${result.baseline.id} as applied in the database (its tables are there already)\n`
        : `  not recorded as applied: run \`evolve pull\` with --mark-applied on a database that has these tables, or apply it to a new one with \`evolve up\`\n`,
    );
  }
  if (result.notes.length > 0) {
    process.stdout.write(`${pc.yellow('not modelled')} (the database keeps them):\n`);
    for (const n of result.notes) {
      process.stdout.write(`  ${n.table}${n.item ? `.${n.item}` : ''}: ${n.reason}\n`);
    }
  }
  return 0;
}

function sampleSize(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--sample expects a whole number of documents, got ${text}`);
  return n;
}
