import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, runCli } from './helpers/cli-project.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => cli?.cleanup());

describe('the bundled CLI', () => {
  it('loads only Node built-ins and small helpers before a command runs, so --help stays fast', () => {
    // Commands, kysely, zod, the drivers and esbuild are imported inside the command that needs them.
    const staticImports = (file: string): string[] =>
      [...readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s*["']([^"']+)["'];/gms)].map(
        (m) => m[1]!,
      );
    const seen = new Map<string, number>();
    const visit = (file: string) => {
      for (const spec of staticImports(file)) {
        if (spec.startsWith('node:')) continue;
        expect(spec, `${file} imports ${spec} at start-up`).toMatch(/^\.\/chunk-\w+\.mjs$/);
        const chunk = join(dirname(file), spec);
        if (!seen.has(chunk)) {
          seen.set(chunk, statSync(chunk).size);
          visit(chunk);
        }
      }
    };
    visit(cli.bin);
    const bytes = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(bytes, 'bytes of chunks loaded with the entry').toBeLessThan(20_000);
  });

  it('answers --help on every command with examples', async () => {
    const commands = [
      'init',
      'generate',
      'plan',
      'sql',
      'status',
      'up',
      'down',
      'check',
      'sweep',
      'discard',
      'hash',
      'pull',
    ];
    const top = await runCli(cli.bin, ['--help'], { cwd: process.cwd() });
    expect(top.code).toBe(0);
    for (const command of commands) expect(top.stdout).toContain(`  ${command}`);
    for (const command of commands) {
      const run = await runCli(cli.bin, [command, '--help'], { cwd: process.cwd() });
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(/Examples:\n {2}\$ evolve /);
    }
  });
});
