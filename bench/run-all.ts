// `pnpm bench`: runs every benchmark (bench/*.bench.ts, test/packed/*.bench.ts) one after the other, each
// in its own process, then prints their one-line summaries together (met / not met against the goals).
// Each benchmark appends its line to the file named by EVOLVE_BENCH_SUMMARY (see summary.ts); one that
// printed none, or failed, is listed as such.
// Run: pnpm bench   (BENCH_ONLY=<part of a file name>[,<part>...] runs only the matching benchmarks)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUMMARY_FILE_ENV } from './summary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const files = ['bench', 'test/packed']
  .flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(dir, f)),
  )
  .filter((f) => !only || only.some((part) => f.includes(part)));

const scratch = mkdtempSync(join(tmpdir(), 'evolve-bench-'));
const lines: string[] = [];
let failed = 0;
try {
  for (const file of files) {
    const summaryFile = join(scratch, `${relative('.', file).replaceAll('/', '_')}.txt`);
    console.log(`\n== ${file}`);
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, [SUMMARY_FILE_ENV]: summaryFile },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    let written: string[] = [];
    try {
      written = readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean);
    } catch {
      // no summary line written
    }
    if (run.status !== 0) {
      failed += 1;
      lines.push(`${file}: FAILED (exit ${run.status ?? run.signal}, ${seconds} s)`);
    } else if (written.length === 0) {
      lines.push(`${file}: no summary line (${seconds} s)`);
    }
    lines.push(...written);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log('\n== summary: one line per benchmark (figure vs goal: met / not met)');
for (const line of lines) console.log(line);
process.exitCode = failed > 0 ? 1 : 0;
