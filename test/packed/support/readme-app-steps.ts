// The README section "Use evolve in your app", as steps: each code block preceded by
// `<!-- app-test: KIND [ARGS] [npm|pnpm] -->` is, in order,
// - `install`: install commands for one package manager (npm or pnpm), one per line;
// - `file <path>`: a file the app gets (written as shown);
// - `package.json`: fields merged into the app's package.json (scripts);
// - `run [exit=N]`: commands run in the app, one per line, each expected to exit N (default 0);
// - `stdout`: lines the previous command printed (each must appear in its output, in order);
// - `ci`: a GitHub Actions workflow whose `npx evolve ...` steps are run.
// A trailing `npm` or `pnpm` limits a step to the app installed with that package manager.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './pack-workspace.ts';

export type PackageManager = 'npm' | 'pnpm';

export interface AppStep {
  kind: 'install' | 'file' | 'package.json' | 'run' | 'stdout' | 'ci';
  args: string[];
  only?: PackageManager;
  body: string;
  /** The README line of the marker, for messages. */
  line: number;
}

const KINDS = new Set(['install', 'file', 'package.json', 'run', 'stdout', 'ci']);

/** The marked steps of the README's section `title`, in order. */
export function readmeAppSteps(title = 'Use evolve in your app'): AppStep[] {
  const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) throw new Error(`README.md has no section "## ${title}"`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const steps: AppStep[] = [];
  for (let i = start; i < (end < 0 ? lines.length : end); i++) {
    const m = /^<!-- app-test: (.+) -->$/.exec(lines[i]!.trim());
    if (!m) continue;
    const fence = /^```(\w*)$/.exec(lines[i + 1]?.trim() ?? '');
    const close = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    if (!fence || close < 0)
      throw new Error(`README line ${i + 1}: an app-test marker must precede a code block`);
    const words = m[1]!.split(/\s+/);
    const kind = words[0]!;
    if (!KINDS.has(kind)) throw new Error(`README line ${i + 1}: unknown app-test step "${kind}"`);
    const last = words.at(-1);
    const only = words.length > 1 && (last === 'npm' || last === 'pnpm') ? last : undefined;
    steps.push({
      kind: kind as AppStep['kind'],
      args: words.slice(1, only ? -1 : undefined),
      ...(only ? { only } : {}),
      body: lines.slice(i + 2, close).join('\n'),
      line: i + 1,
    });
    i = close;
  }
  return steps;
}

/** The command lines of a shell block (comments and blank lines dropped), each split into words. */
export function commandLines(body: string): string[][] {
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(/\s+/));
}

/** The `run:` steps of a workflow that call evolve (`npx evolve ...`). */
export function workflowEvolveSteps(yaml: string): string[][] {
  return [...yaml.matchAll(/^\s*-?\s*run:\s*(npx evolve .+)$/gm)].map((m) => m[1]!.trim().split(/\s+/));
}
