import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importModule } from '../src/import-module.ts';

// A project folder inside packages/project, so its modules resolve zod and @evolve/* through node_modules.
const dir = join(import.meta.dirname, '.tmp', `import-module-${process.pid}`);
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
};
const load = (file: string) => importModule(file, { code: 'INVALID_SCHEMA', what: 'schema module' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('importModule (esbuild-bundled project modules)', () => {
  it('runs TypeScript with its local imports and packages, each file seeing its own import.meta and __dirname', async () => {
    const helper = write(
      'src/lib/where.ts',
      'export const where: { url: string; dir: string; cjsDir: string } = { url: import.meta.url, dir: import.meta.dirname, cjsDir: __dirname };\n',
    );
    const models = write(
      'src/models.ts',
      [
        "import { z } from 'zod';",
        "import { where } from './lib/where.ts';",
        'enum Kind { A = "a" }',
        'export const kind: Kind = Kind.A;',
        'export const schema = z.object({ id: z.number() });',
        'export default { where, self: import.meta.url };',
      ].join('\n'),
    );
    const mod = await load(models);
    expect(mod.kind).toBe('a');
    expect((mod.schema as { parse(v: unknown): unknown }).parse({ id: 1 })).toEqual({ id: 1 });
    expect(mod.default).toEqual({
      where: { url: pathToFileURL(helper).href, dir: dirname(helper), cjsDir: dirname(helper) },
      self: pathToFileURL(models).href,
    });
  });

  it("imports a package's JSON file written without an import attribute, as it did before esbuild", async () => {
    write('node_modules/evolve-json-pkg/package.json', '{ "name": "evolve-json-pkg", "version": "1.0.0" }\n');
    write('node_modules/evolve-json-pkg/data.json', '{ "tables": ["users"] }\n');
    const entry = write(
      'src/json.ts',
      "import data from 'evolve-json-pkg/data.json';\nexport default data;\n",
    );
    expect((await load(entry)).default).toEqual({ tables: ['users'] });
  });

  it('imports afresh on every call: an edit of an imported file shows in the next import', async () => {
    write('src/value.ts', 'export const value = 1;\n');
    const entry = write('src/entry.ts', "export { value as default } from './value.ts';\n");
    expect((await load(entry)).default).toBe(1);
    write('src/value.ts', 'export const value = 2;\n');
    expect((await load(entry)).default).toBe(2);
  });

  it('a syntax error in an imported file names that file, line and column', async () => {
    const broken = write('src/broken.ts', 'export const x = ;\n');
    const entry = write('src/uses-broken.ts', "export { x as default } from './broken.ts';\n");
    await expect(load(entry)).rejects.toMatchObject({
      code: 'INVALID_SCHEMA',
      path: broken,
      message: expect.stringContaining(`in ${broken}:1:17`),
    });
  });

  it('a package the project lacks is named with the command that installs it', async () => {
    const entry = write('src/needs-package.ts', "import 'evolve-no-such-package';\nexport default 1;\n");
    await expect(load(entry)).rejects.toMatchObject({
      code: 'INVALID_SCHEMA',
      message: expect.stringMatching(
        /Cannot find package 'evolve-no-such-package' imported from .*needs-package\.ts \(install it: \w+ (install|add) evolve-no-such-package\)/,
      ),
    });
  });

  it('an error thrown while the module runs is the module error, with the thrown error as its cause', async () => {
    const entry = write('src/throws.ts', "throw new Error('models exploded');\n");
    const error = await load(entry).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_SCHEMA',
      path: entry,
      message: 'cannot load the schema module: models exploded',
    });
    expect((error as { cause?: Error }).cause?.message).toBe('models exploded');
  });
});
