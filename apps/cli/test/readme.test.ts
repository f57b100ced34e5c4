// Runs the README's examples as written: blocks preceded by `<!-- readme-test: ... -->` are, in order,
// written into a temporary project (`file <path>`), executed (`file <path> run`), loaded as a schema
// (`file <path> schema`), run as evolve commands (`run [exit=N]`, one command per line), or compared with
// the previous command's stderr (`stderr`).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type CliRun, type TempProject, tempProject } from './helpers/cli-project.ts';

interface Step {
  marker: string;
  lang: string;
  body: string;
  line: number;
}

/** The marked code blocks of a Markdown text, in order. */
function markedBlocks(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- readme-test: (.+) -->$/.exec(lines[i]!.trim());
    if (!m) continue;
    const fence = /^```(\w*)$/.exec(lines[i + 1]?.trim() ?? '');
    if (!fence) throw new Error(`README line ${i + 1}: a readme-test marker must precede a code block`);
    const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    steps.push({ marker: m[1]!, lang: fence[1]!, body: lines.slice(i + 2, end).join('\n'), line: i + 1 });
    i = end;
  }
  return steps;
}

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const steps = markedBlocks(readme);

function runNode(cwd: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

let cli: Awaited<ReturnType<typeof buildTestCli>>;
let project: TempProject;
beforeAll(async () => {
  cli = await buildTestCli();
  project = tempProject(cli.bin, 'readme');
});
afterAll(() => {
  project?.remove();
  cli?.cleanup();
});

describe('the README examples', () => {
  it('has marked examples covering the quick start, models and configuration', () => {
    expect(steps.length).toBeGreaterThanOrEqual(12);
    expect(steps.filter((s) => s.marker.startsWith('run')).length).toBeGreaterThanOrEqual(6);
  });

  it('work as written, in order', async () => {
    let last: CliRun | undefined;
    for (const step of steps) {
      const where = `README line ${step.line} (${step.marker})`;
      const [kind, ...rest] = step.marker.split(/\s+/);
      if (kind === 'file') {
        const [path, ...flags] = rest;
        project.write(path!, `${step.body}\n`);
        if (flags.includes('run')) {
          last = await runNode(project.dir, ['--import', 'tsx', path!]);
          expect(last.code, `${where}\n${last.stderr}`).toBe(0);
          // A `console.log(...); // <output>` comment states what the line prints.
          const printed = /console\.log\(.*\); \/\/ (.+)$/m.exec(step.body)?.[1];
          // Compared as values (util.inspect prints a JS literal), so key order does not matter.
          const literal = (text: string) => new Function(`return (${text});`)();
          if (printed) expect(literal(last.stdout.trim()), where).toEqual(literal(printed));
        }
        if (flags.includes('schema')) {
          const script = `import('@evolve/core').then(async (core) => { const m = await import('./${path}'); console.log(core.toSnapshot(m.default).hash); })`;
          last = await runNode(project.dir, ['--import', 'tsx', '--input-type=module', '-e', script]);
          expect(last.code, `${where}\n${last.stderr}`).toBe(0);
        }
      } else if (kind === 'run') {
        const exit = Number(/exit=(\d+)/.exec(step.marker)?.[1] ?? 0);
        for (const command of step.body.split('\n').filter((l) => l.trim() !== '')) {
          const [bin, ...args] = command.trim().split(/\s+/);
          expect(bin, where).toBe('evolve');
          last = await project.run(args);
          expect(last.code, `${where}: ${command}\n${last.stdout}\n${last.stderr}`).toBe(exit);
        }
      } else if (kind === 'stderr') {
        expect(last?.stderr.trim(), where).toBe(step.body.trim());
      } else {
        throw new Error(`${where}: unknown readme-test marker`);
      }
    }
  });
});
