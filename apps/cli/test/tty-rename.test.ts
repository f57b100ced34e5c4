// `generate` on a terminal asks about an ambiguous rename (@clack/prompts) instead of failing.
// A pseudo-terminal comes from util-linux `script`; without it the test is skipped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Runs `evolve generate` on a pseudo-terminal and types `keys` once the question shows. */
function generateOnTerminal(p: TempProject, keys: string): Promise<string> {
  const command = `stty cols 120 rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(cli.bin)} generate`;
  return new Promise((resolve) => {
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
      cwd: p.dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    let typed = false;
    const timer = setTimeout(() => child.kill(), 60_000);
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      if (!typed && output.includes('Was it renamed?')) {
        typed = true;
        setTimeout(() => child.stdin.write(keys), 200);
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
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
