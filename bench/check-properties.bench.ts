/**
 * Benchmark: `evolve check` on the example app with its property tests of SQL transforms and document
 * upgraders (the default run count)
 * beside the same command with `--runs 0` (no property tests), in the same run. Goal: at most 1.5x.
 * Wall-clock medians of 15 alternating runs of fresh processes of the bundled CLI, after one warm-up each.
 * Run: npx tsx bench/check-properties.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../apps/cli/scripts/build.ts';
import { DEFAULT_PROPERTY_RUNS } from '../packages/core/src/find-counterexample.ts';
import { summary } from './summary.ts';

const RUNS = 15;
const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'apps/example');

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: example,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return ms;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// Inside apps/cli, as cli.bench.ts does, so the bundle resolves kysely, zod and the drivers.
const out = join(root, 'apps/cli/test/.tmp', `bench-check-${process.pid}`);
try {
  const bin = await buildCli({ quiet: true, outdir: out });
  const withProperties = [bin, 'check'];
  const baseline = [bin, 'check', '--runs', '0'];
  wallMs(withProperties);
  wallMs(baseline);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(wallMs(withProperties));
    b.push(wallMs(baseline));
  }
  const props = median(a);
  const base = median(b);
  console.log(`evolve check, example app, medians of ${RUNS} runs`);
  console.log(`  with property tests (--runs ${DEFAULT_PROPERTY_RUNS}, default): ${props.toFixed(0)} ms`);
  console.log(`  baseline (--runs 0):                       ${base.toFixed(0)} ms`);
  console.log(`  ratio: ${(props / base).toFixed(2)}x (goal <= 1.5x)`);
  summary({
    bench: 'check-properties',
    figure: `evolve check with property tests ${(props / base).toFixed(2)}x of --runs 0`,
    goal: '<= 1.5x',
    met: props / base <= 1.5,
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
