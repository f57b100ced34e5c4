import { loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { type DocumentsStatus, status } from '../project/status.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

/** The document models' lines: documents per version, and sweep checkpoints. */
function documentLines(documents: DocumentsStatus, separate: boolean): string[] {
  const out = [`${documents.database} (mongodb: document models)`];
  if (separate) {
    const j = documents.journal;
    out.push(
      `  ${j.applied.length} applied, ${j.pending.length} pending` +
        (j.modified.length ? `, ${pc.red(`${j.modified.length} modified`)}` : '') +
        (j.outOfOrder.length ? `, ${pc.red(`${j.outOfOrder.length} out of order`)}` : ''),
    );
  }
  for (const m of documents.models) {
    out.push(`  ${pc.bold(m.model)} (${m.collection}): ${m.total} document(s)`);
    for (const v of m.versions) {
      const share = m.total > 0 ? ` ${Math.round((v.count / m.total) * 100)}%` : '';
      const note = [
        v.version === m.latestVersion ? 'latest' : '',
        v.unversioned ? `${v.unversioned} without a version field` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(`    version ${v.version}: ${v.count}${share}${note ? ` (${note})` : ''}`);
    }
    for (const u of m.unknown)
      out.push(
        `    ${pc.red(`unknown version ${JSON.stringify(u.value)}`)}: ${u.count} (newer code wrote them?)`,
      );
    for (const c of m.checkpoints) {
      out.push(
        `    ${pc.yellow('sweep checkpoint')} ${c.key}: after ${JSON.stringify(c.after)}, ${c.scanned} scanned, ${c.upgraded} upgraded, ${c.updatedAt} (run sweep ${m.model} to resume)`,
      );
    }
  }
  return out;
}

export default async function statusCommand(_options: unknown, globals: GlobalOptions): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const result = await status({ config });
  const documents = result.documents;
  const broken = (j: { modified: string[]; outOfOrder: string[] }) =>
    j.modified.length > 0 || j.outOfOrder.length > 0;
  const code = broken(result) || (documents && broken(documents.journal)) ? 1 : 0;
  if (globals.json) {
    printJson(result);
    return code;
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
  if (documents) out.push(...documentLines(documents, result.dialect !== 'mongodb'));
  process.stdout.write(`${out.join('\n')}\n`);
  return code;
}
