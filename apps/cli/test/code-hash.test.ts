// The journal's checksum covers a migration's code through the `codeHash` its module carries: an applied
// migration whose transform body is edited and re-hashed reads "modified" in status and check, and `up`
// refuses it; reformatting or a comment does not count; journals written before code hashes keep loading.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCodeHash, readCodeHash, withCodeHash } from '../../../packages/project/src/code-hash.ts';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

const MODULE = `import { defineMigration } from '@evolve/core';
export default defineMigration({
  id: '0002_x',
  from: 'aa',
  to: 'bb',
  codeHash: 'old',
  transforms: { User: { label: (old) => \`\${old.name}!\`.replace(/\\/\\//g, '') } },
});
`;

describe('computeCodeHash', () => {
  it('ignores comments, whitespace, quote style, trailing commas and the codeHash itself', () => {
    const hash = computeCodeHash(MODULE);
    const same = MODULE.replace("from: 'aa',", '// reviewed\n  from: "aa" , /* note */')
      .replace("codeHash: 'old'", "codeHash: 't1:whatever'")
      .replace("'') } },", "''),\n    },\n  },");
    expect(computeCodeHash(same)).toBe(hash);
  });

  it('changes with the body of a transform, a string and a regular expression', () => {
    const hash = computeCodeHash(MODULE);
    for (const edit of [
      MODULE.replace('.name}!', '.name}?'),
      MODULE.replace("to: 'bb'", "to: 'bc'"),
      MODULE.replace('/\\/\\//g', '/\\/\\//gi'),
      MODULE.replace("replace(/\\/\\//g, '')", "replace(/\\/\\//g, '-')"),
    ]) {
      expect(edit).not.toBe(MODULE);
      expect(computeCodeHash(edit)).not.toBe(hash);
    }
  });

  it('withCodeHash rewrites the recorded hash, or adds it after `to:` in a module without one', () => {
    const updated = withCodeHash(MODULE);
    expect(readCodeHash(updated)).toBe(computeCodeHash(MODULE));
    const legacy = MODULE.replace("  codeHash: 'old',\n", '');
    const added = withCodeHash(legacy);
    expect(added).toContain(`  to: 'bb',\n  codeHash: '${computeCodeHash(MODULE)}',\n`);
  });
});

describe('an applied migration whose transform was edited and re-hashed', () => {
  let cli: Awaited<ReturnType<typeof buildTestCli>>;
  let p: TempProject;
  const V1 = { id: 'z.number().int()', name: 'z.string()' };
  const V2 = { ...V1, label: 'z.string()' };
  const transform = (body: string) =>
    p.write(
      'migrations/0002_add_label.ts',
      p
        .read('migrations/0002_add_label.ts')
        .replace(/label: (todo\([^)]*\)|\(old\) => [^\n]*),\n/, `label: ${body},\n`),
    );

  beforeAll(async () => {
    cli = await buildTestCli();
    p = tempProject(cli.bin, 'code-hash');
    p.write('evolve.config.ts', CONFIG);
    p.write('src/models.ts', userModels(V1));
    expect((await p.run(['generate', 'create_users'])).code).toBe(0);
    expect((await p.run(['up'])).code).toBe(0);
    const db = new Database(`${p.dir}/evolve.db`);
    db.prepare("insert into users (id, name) values (1, 'ada')").run();
    db.close();
    p.write('src/models.ts', userModels(V2));
    expect((await p.run(['generate', 'add_label'])).code).toBe(0);
    transform('(old) => String(old.name)');
    expect((await p.run(['hash'])).code).toBe(0);
    const up = await p.run(['up']);
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);
  afterAll(() => {
    p?.remove();
    cli?.cleanup();
  });

  const state = async () => {
    const run = await p.run(['status', '--json']);
    return (JSON.parse(run.stdout) as { migrations: { id: string; state: string }[] }).migrations;
  };

  it('a comment and reformatting, re-hashed, still read "applied"', async () => {
    transform('(old) =>   String( old.name ) /* reviewed */');
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await state()).toEqual([
      { id: '0001_create_users', state: 'applied' },
      { id: '0002_add_label', state: 'applied' },
    ]);
  });

  it('before re-hashing, check names the file whose code no longer matches (the sum and the codeHash)', async () => {
    transform('(old) => String(old.name).toUpperCase()');
    const check = await p.run(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/CHECKSUM_MISMATCH[\s\S]*0002_add_label\.ts/);
  });

  it('re-hashed: status and check --db read "modified", and up refuses it with CHECKSUM_MISMATCH', async () => {
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await state()).toContainEqual({ id: '0002_add_label', state: 'modified' });
    const check = await p.run(['check', '--db', '--format', 'json']);
    expect(check.code).toBe(1);
    const findings = (JSON.parse(check.stdout) as { findings: { code: string; message: string }[] }).findings;
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'CHECKSUM_MISMATCH',
        message: expect.stringMatching(/0002_add_label/),
      }),
    );
    const up = await p.run(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/error CHECKSUM_MISMATCH: .*0002_add_label/);
  });

  it('a journal row in the checksum format before code hashes (64 hex digits) still reads "applied"', async () => {
    transform('(old) => String(old.name)');
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await state()).toContainEqual({ id: '0002_add_label', state: 'applied' });
    const { legacyMigrationChecksum } = await import('@evolve/core');
    const { importModule } = await import('../../../packages/project/src/import-module.ts');
    const loaded = await importModule(`${p.dir}/migrations/0002_add_label.ts`, {
      code: 'INVALID_MIGRATION',
      what: 'a migration',
    });
    const m = loaded.default as never;
    const db = new Database(`${p.dir}/evolve.db`);
    db.prepare('update evolve_migrations set checksum = ? where id = ?').run(
      legacyMigrationChecksum(m),
      '0002_add_label',
    );
    db.close();
    expect(await state()).toContainEqual({ id: '0002_add_label', state: 'applied' });
  });
});
