import { describeChange, loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { plan } from '../project/plan.ts';
import type { DocumentPlanCost } from '../project/plan-document-cost.ts';
import type { SqlCost } from '../project/sql-api.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';
import { parseRenameFlags, terminalRenameResolver } from './rename-flags.ts';

interface Options {
  rename?: string[];
  drop?: string[];
  dialect?: 'postgres' | 'mysql' | 'sqlite';
  cost?: boolean;
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
    ...(options.cost ? { cost: true } : {}),
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
  if (result.cost) out.push(...costLines(result.cost, result.dialect));
  if (result.documentCost) out.push(...documentCostLines(result.documentCost));
  out.push('', 'Nothing written. Run `evolve generate` to write the migration.');
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function riskColor(risk: string): (s: string) => string {
  return risk === 'safe' ? (s) => s : risk === 'needs-backfill' ? pc.yellow : pc.red;
}

const LOCKS: Record<string, string> = {
  none: 'no blocking lock',
  row: 'row locks',
  metadata: 'brief schema lock',
  writes: 'blocks writes',
  exclusive: 'blocks reads and writes',
};

/** The cost section: one line per SQL step, the total, and where the figures come from. */
function costLines(cost: SqlCost, dialect: string): string[] {
  const rows = cost.rowsFrom === 'none' ? 'no database to count rows in' : 'rows from the live statistics';
  const lines = [
    pc.bold(
      `Cost on ${dialect} (estimates: ${rows}, backfills at ${cost.rates.backfill} rows/s by SQL, ${cost.rates.transform} by TS transform, scans at ${cost.rates.scan} rows/s)`,
    ),
  ];
  for (const step of cost.steps) {
    const parts = [LOCKS[step.lock] ?? step.lock, step.holds];
    if (step.rows !== undefined) parts.push(`${step.rows} rows`);
    if (step.seconds !== undefined) parts.push(`~${duration(step.seconds)}`);
    lines.push(`  ${step.description}: ${parts.join(', ')}`);
  }
  if (cost.rowsFrom !== 'none') lines.push(`  total ~${duration(cost.seconds)}`);
  return lines;
}

/** The document models' cost: lazily per read (measured), eagerly by a sweep of the stored documents. */
function documentCostLines(cost: DocumentPlanCost): string[] {
  const counted =
    cost.documentsFrom === 'none'
      ? 'no database to count documents in'
      : cost.models[0]?.rates
        ? `documents counted in the live store, sweep at ${cost.models[0].rates.sweep} documents/s plus the measured upgrade`
        : 'documents counted in the live store; no sweep rate measured for this store';
  const lines = [
    pc.bold(`Cost of document models${cost.store ? ` on ${cost.store}` : ''} (estimates: ${counted})`),
  ];
  for (const m of cost.models) {
    const todos = m.todos.length > 0 ? `; ${m.todos.join(', ')} still a TODO, timed with a stand-in` : '';
    const failed = m.versions.flatMap((v) => Object.entries(v.failed).map(([code, n]) => `${code} x${n}`));
    const read =
      m.upgradeMicros === undefined
        ? `upgrade cost unknown (no sampled document upgraded: ${failed.join(', ')})`
        : `+${m.upgradeMicros.toFixed(1)} µs per read (measured upgrade cost${todos})`;
    const sweep =
      m.sweepSeconds !== undefined
        ? `sweep of ${m.documents} documents ~${duration(m.sweepSeconds)}`
        : m.sweepUnknown
          ? `sweep of ${m.documents} documents (no sweep rate measured for this store)`
          : cost.documentsFrom === 'none'
            ? 'sweep: no database to count documents in'
            : 'sweep: its collection or table could not be counted';
    lines.push(`  ${m.model}: lazy: no downtime, ${read}, ${sweep}`);
  }
  return lines;
}

function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
