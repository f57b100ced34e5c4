// `generate` on a terminal asks about an ambiguous rename (@clack/prompts) instead of failing.
// A pseudo-terminal comes from util-linux `script`; without it the test is skipped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from '@evolve/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

const SCRIPT = '/usr/bin/script';
let cli: Awaited<ReturnType<typeof buildTestCli>>;
const projects: TempProject[] = [];
beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => {
  for (const p of projects) p.remove();
  cli?.cleanup();
});

/** The last line of the rename prompt: once it shows, the prompt has rendered and reads keys. */
const PROMPT_END = 'was dropped (and the new one added)';

/**
 * Runs `evolve generate` on a pseudo-terminal and types `keys` once the whole question shows (its last
 * option on the terminal; @clack/prompts switches the terminal to raw mode before it renders); fails with
 * the output so far when the question does not show within 30 s.
 */
async function generateOnTerminal(p: TempProject, keys: string): Promise<string> {
  const command = `stty cols 120 rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(cli.bin)} generate`;
  const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
    cwd: p.dir,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    await waitFor(() => output.includes(PROMPT_END), { timeoutMs: 30_000, what: 'the rename question' });
  } catch (error) {
    child.kill();
    await closed;
    throw new Error(`${(error as Error).message}; the terminal showed:\n${output}`);
  }
  child.stdin.write(keys);
  const timer = setTimeout(() => child.kill(), 60_000);
  await closed;
  clearTimeout(timer);
  return output;
}

async function renamedProject(): Promise<TempProject> {
  const p = tempProject(cli.bin, 'tty');
  projects.push(p);
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', userModels({ id: 'z.number().int()', name: 'z.string()' }));
  expect((await p.run(['generate', 'init'])).code).toBe(0);
  p.write('src/models.ts', userModels({ id: 'z.number().int()', fullName: 'z.string()' }));
  return p;
}

describe.skipIf(!existsSync(SCRIPT))('evolve generate on a terminal', () => {
  it('asks whether a vanished field was renamed, and writes the rename when answered so', async () => {
    const p = await renamedProject();
    const output = await generateOnTerminal(p, '\r');
    expect(output).toContain('field User.name disappeared. Was it renamed?');
    expect(p.read('migrations/0002_rename_user_name_to_fullname.ts')).toContain("kind: 'renameField'");
  });

  it('writes a drop and an add when the answer is "dropped"', async () => {
    const p = await renamedProject();
    await generateOnTerminal(p, '\x1b[B\r');
    const file = p.files().find((f) => f.startsWith('migrations/0002_'));
    expect(file).toBeDefined();
    expect(p.read(file!)).toContain("kind: 'dropField'");
  });
});
