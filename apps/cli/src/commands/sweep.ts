import { loadConfig } from '@evolve/project';
import pc from 'picocolors';
import { type SweepModelProgress, sweepModel } from '../project/sweep-model.ts';
import { configOptions, type GlobalOptions, printJson } from './global-options.ts';

interface Options {
  batchSize?: string;
  rate?: string;
  restart?: boolean;
}

const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw Object.assign(new Error(`${flag} must be a positive number, got "${value}"`), {
      name: 'EvolveError',
      code: 'INVALID_CONFIG',
      path: flag,
    });
  return n;
};

export default async function sweepCommand(
  options: Options,
  globals: GlobalOptions,
  args: string[],
): Promise<number> {
  const config = await loadConfig(configOptions(globals));
  const batchSize = positive(options.batchSize, '--batch-size');
  const rate = positive(options.rate, '--rate');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  const tty = process.stderr.isTTY === true && !globals.json;
  const cliProgress = tty ? (await import('cli-progress')).default : undefined;
  const bar = cliProgress
    ? new cliProgress.SingleBar(
        {
          format: `  sweep ${args[0]} [{bar}] {value}/{total} documents ({upgraded} upgraded, {failed} failed)`,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const onProgress = (p: SweepModelProgress) => {
    const done = p.scanned;
    if (bar) {
      if (!started) bar.start(Math.max(p.total, done), 0, { upgraded: 0, failed: 0 });
      started = true;
      bar.setTotal(Math.max(p.total, done));
      bar.update(done, { upgraded: p.upgraded, failed: p.failed });
    } else if (!globals.json) {
      process.stderr.write(
        pc.dim(`  ${done}/${p.total} documents (${p.upgraded} upgraded, ${p.failed} failed)\n`),
      );
    }
  };
  try {
    const result = await sweepModel({
      config,
      model: args[0]!,
      ...(batchSize ? { batchSize } : {}),
      ...(rate ? { rate } : {}),
      ...(options.restart ? { restart: true } : {}),
      onProgress,
      signal: controller.signal,
    });
    bar?.stop();
    if (globals.json) printJson(result);
    else {
      const verb = result.aborted ? pc.yellow('interrupted') : pc.green('swept');
      process.stdout.write(
        `${verb} ${args[0]}: ${result.upgraded} upgraded, ${result.skipped} already current, ${result.failed} failed${result.resumed ? ' (resumed from the checkpoint)' : ''}\n`,
      );
      for (const f of result.failures)
        process.stdout.write(`  ${pc.red(f.code)} ${String(f.id)} at version ${f.version}: ${f.message}\n`);
      if (result.aborted) process.stdout.write('Run the same command again to resume.\n');
    }
    return result.failed > 0 || result.aborted ? 1 : 0;
  } finally {
    bar?.stop();
    process.off('SIGINT', stop);
  }
}
