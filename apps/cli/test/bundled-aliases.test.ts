// The workspace bundle of the CLI carries the evolve packages and zod. A project's imports of them go to those
// copies only when the project has none of its own (or has the very folders the bundle was built from): a
// project's own, different copy is used as installed (regression: every @evolve/* import was redirected).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, runCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  cli = await buildTestCli();
}, 120_000);
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
  cli?.cleanup();
});

/** Models whose one field is named by `marker`, a value only the project's own @evolve/document exports. */
const MODELS = `import { defineModel, defineSchema } from '@evolve/core';
import { marker } from '@evolve/document';
import { z } from 'zod';

export const User = defineModel('User', { table: 'users', shape: { id: z.number().int(), [marker]: z.string() } });
export default defineSchema([User]);
`;

describe('the workspace bundle and the project’s own packages', () => {
  it("uses the project's own copy of an evolve package, not the bundle's", async () => {
    const p: TempProject = tempProject(cli.bin, 'own-copy');
    cleanups.push(() => p.remove());
    p.write('evolve.config.ts', CONFIG);
    p.write('src/models.ts', MODELS);
    p.write(
      'node_modules/@evolve/document/package.json',
      `${JSON.stringify({ name: '@evolve/document', version: '0.0.1-own', type: 'module', exports: './index.js' })}\n`,
    );
    p.write('node_modules/@evolve/document/index.js', "export const marker = 'fromOwnCopy';\n");
    const r = await p.run(['generate', 'init']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(p.read('migrations/snapshot.json'));
    expect(Object.keys(snapshot.models.User.fields).sort()).toEqual(['fromOwnCopy', 'id']);
  });

  it("sees a new version of the project's own copy: the generate cache keys on its version, not the bundle's", async () => {
    const p: TempProject = tempProject(cli.bin, 'own-copy-cache');
    cleanups.push(() => p.remove());
    const ownCopy = (version: string, withNote: boolean) => {
      p.write(
        'node_modules/@evolve/document/package.json',
        `${JSON.stringify({ name: '@evolve/document', version, type: 'module', exports: './index.js' })}\n`,
      );
      p.write('node_modules/@evolve/document/index.js', `export const withNote = ${withNote};\n`);
    };
    p.write('evolve.config.ts', CONFIG);
    p.write(
      'src/models.ts',
      `import { defineModel, defineSchema } from '@evolve/core';
import { withNote } from '@evolve/document';
import { z } from 'zod';

const note = withNote ? { note: z.string().nullable() } : {};
export const User = defineModel('User', { table: 'users', shape: { id: z.number().int(), ...note } });
export default defineSchema([User]);
`,
    );
    ownCopy('0.0.1-own', false);
    expect((await p.run(['generate', 'init'])).code).toBe(0);
    const cached = await p.run(['generate', '--debug']);
    expect(cached.stderr).toContain('answered from the generate cache');
    ownCopy('0.0.2-own', true);
    const r = await p.run(['generate', 'add note', '--debug']);
    expect(r.stderr).not.toContain('answered from the generate cache');
    expect(r.code).toBe(0);
    expect(p.exists('migrations/0002_add_note.ts')).toBe(true);
  });

  it("falls back to the bundle's copies for a project that has none installed (no node_modules at all)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evolve-no-modules-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    };
    write('evolve.config.ts', CONFIG);
    write(
      'src/models.ts',
      MODELS.replace("import { marker } from '@evolve/document';\n", "const marker = 'name';\n"),
    );
    const r = await runCli(cli.bin, ['generate', 'init'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(dir, 'migrations/snapshot.json'), 'utf8'));
    expect(Object.keys(snapshot.models.User.fields).sort()).toEqual(['id', 'name']);
  });
});
