// `generate` answers "no changes" from a cache while the sources of the models and snapshot.json are
// unchanged; any change to them (including a module the schema imports) goes through the full diff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
let p: TempProject;
const HIT = 'answered from the generate cache';

const models = `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
import { contact } from './contact.ts';
export const User = defineModel('User', { table: 'users', shape: { id: z.number().int(), ...contact } });
export default defineSchema([User]);
`;

beforeAll(async () => {
  cli = await buildTestCli();
  p = tempProject(cli.bin, 'cache');
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', models);
  p.write('src/contact.ts', "import { z } from 'zod';\nexport const contact = { email: z.string() };\n");
  expect((await p.run(['generate', 'init'])).code).toBe(0);
});
afterAll(() => {
  p?.remove();
  cli?.cleanup();
});

describe('the generate cache', () => {
  it('answers an unchanged project without loading the models', async () => {
    const run = await p.run(['generate', '--debug']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes');
    expect(run.stderr).toContain(HIT);
  });

  it('sees a change in a module the schema imports, and writes the migration', async () => {
    p.write(
      'src/contact.ts',
      "import { z } from 'zod';\nexport const contact = { email: z.string(), phone: z.string().nullable() };\n",
    );
    const run = await p.run(['generate', 'phone', '--debug']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(HIT);
    expect(run.stdout).toContain('wrote migrations/0002_phone.ts');
    expect((await p.run(['generate', '--debug'])).stderr).toContain(HIT);
  });

  it('sees an edited snapshot.json, and EVOLVE_NO_CACHE turns the cache off', async () => {
    expect((await p.run(['generate', '--debug'], { EVOLVE_NO_CACHE: '1' })).stderr).not.toContain(HIT);
    p.write('migrations/snapshot.json', `${p.read('migrations/snapshot.json').trimEnd()}\n\n`);
    const run = await p.run(['generate', '--debug']);
    expect(run.stderr).not.toContain(HIT);
    expect(run.stdout).toContain('No changes');
  });
});
