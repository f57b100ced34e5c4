import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/index.ts';

// The programmatic loader (what an application calls at startup) checks the index against the files, as
// the CLI does: a migration file that the index forgot would otherwise never run.
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-load-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const migration = (id: string) => `export default { id: '${id}', from: 'a', to: 'b', changes: [] };\n`;
const index = (ids: string[]) =>
  `${ids.map((id, i) => `import m${i} from './${id}.mjs';`).join('\n')}\nexport default [${ids.map((_, i) => `m${i}`).join(', ')}];\n`;

async function failure(run: Promise<unknown>) {
  try {
    await run;
  } catch (error) {
    return error as { code: string; message: string; path?: string };
  }
  throw new Error('expected an error');
}

describe('loadMigrations(folder)', () => {
  const two = { '0001_init.mjs': migration('0001_init'), '0002_add_note.mjs': migration('0002_add_note') };

  it('returns the index list when it names every file in order', async () => {
    const dir = folder({ ...two, 'index.mjs': index(['0001_init', '0002_add_note']) });
    expect((await loadMigrations(dir)).map((m) => m.id)).toEqual(['0001_init', '0002_add_note']);
  });

  it('counts a migration and its compiled twin once (0001_init.ts beside 0001_init.js)', async () => {
    const dir = folder({ ...two, '0001_init.ts': '', 'index.mjs': index(['0001_init', '0002_add_note']) });
    expect(await loadMigrations(dir)).toHaveLength(2);
  });

  it('refuses a migration file the index does not list, naming it', async () => {
    const dir = folder({
      ...two,
      '0003_late.mjs': migration('0003_late'),
      'index.mjs': index(['0001_init', '0002_add_note']),
    });
    const error = await failure(loadMigrations(dir));
    expect(error.code).toBe('INVALID_MIGRATION');
    expect(error.message).toContain('0003_late is not listed in index.mjs');
  });

  it('refuses an index whose order differs from the files', async () => {
    const dir = folder({ ...two, 'index.mjs': index(['0002_add_note', '0001_init']) });
    const error = await failure(loadMigrations(dir));
    expect(error).toMatchObject({ code: 'INVALID_MIGRATION', path: '0002_add_note' });
    expect(error.message).toContain('lists 0002_add_note at position 1, but the file there is 0001_init');
  });

  it('refuses an index that lists a migration without its file, and a folder without an index', async () => {
    const missing = folder({
      '0001_init.mjs': migration('0001_init'),
      'index.mjs': index(['0001_init']).replace(
        'export default [m0]',
        "import m1 from './0001_init.mjs';\nexport default [m0, m1]",
      ),
    });
    expect((await failure(loadMigrations(missing))).message).toContain(
      'position 2, but the file there is missing',
    );
    expect((await failure(loadMigrations(folder(two)))).code).toBe('NOT_FOUND');
  });
});
