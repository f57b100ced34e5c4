import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
const projects: TempProject[] = [];

beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => {
  for (const p of projects) p.remove();
  cli.cleanup();
});

const V1 = { id: 'z.number().int()', name: 'z.string()' };

async function generatedProject(): Promise<TempProject> {
  const p = tempProject(cli.bin, 'check');
  projects.push(p);
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', userModels(V1));
  const run = await p.run(['generate', 'init']);
  expect(run.code, run.stderr).toBe(0);
  return p;
}

describe('evolve check', () => {
  it('exits 0 when the migrations match the models', async () => {
    const p = await generatedProject();
    const run = await p.run(['check']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('ok');
  });

  it('exits 2 when the models changed without a generated migration, in every format', async () => {
    const p = await generatedProject();
    p.write('src/models.ts', userModels({ ...V1, email: 'z.string().nullable()' }));

    const text = await p.run(['check']);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('pending CHANGES_PENDING');

    const json = await p.run(['check', '--format', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      findings: [
        {
          code: 'CHANGES_PENDING',
          severity: 'pending',
          message: 'the models changed since the last migration: run evolve generate',
          file: 'src/models.ts',
        },
      ],
    });

    const github = await p.run(['check', '--format', 'github']);
    expect(github.code).toBe(2);
    expect(github.stdout.trim()).toBe(
      '::error file=src/models.ts,title=evolve CHANGES_PENDING::the models changed since the last migration%3A run evolve generate'.replace(
        '%3A',
        ':',
      ),
    );
  });

  it('exits 1 for a tampered migration, names the file, and passes again after evolve hash', async () => {
    const p = await generatedProject();
    const file = 'migrations/0001_init.ts';
    p.write(file, p.read(file).replace('acknowledge: [],', "acknowledge: ['User'],"));

    const json = await p.run(['check', '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.findings).toEqual([
      {
        code: 'CHECKSUM_MISMATCH',
        severity: 'error',
        message:
          '0001_init.ts: migration file was edited after evolve.sum was written: after a deliberate edit run `evolve hash`, otherwise restore the file',
        path: '0001_init.ts',
        file,
      },
    ]);

    const github = await p.run(['check', '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(
      '::error file=migrations/0001_init.ts,title=evolve CHECKSUM_MISMATCH::0001_init.ts: migration file was edited after evolve.sum was written: after a deliberate edit run `evolve hash`, otherwise restore the file',
    );

    const text = await p.run(['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('error CHECKSUM_MISMATCH');

    expect((await p.run(['hash'])).code).toBe(0);
    expect((await p.run(['check'])).code).toBe(0);
  });

  it('exits 1 for a transform whose result is longer than its column, with the shrunk row, in every format', async () => {
    const p = await generatedProject();
    p.write('src/models.ts', userModels({ ...V1, nickname: 'z.string().max(8)' }));
    expect((await p.run(['generate', 'nickname'])).code).toBe(0);
    const file = 'migrations/0002_nickname.ts';
    p.write(
      file,
      p.read(file).replace(/nickname: todo\([^)]*\),/, "nickname: (old) => String(old.name) + '!',"),
    );
    await p.run(['hash']);

    const json = await p.run(['check', '--format', 'json']);
    expect(json.code, json.stdout + json.stderr).toBe(1);
    const [finding, ...rest] = JSON.parse(json.stdout).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'transform-property',
      severity: 'error',
      path: 'User.nickname',
      file,
      message: expect.stringMatching(/^0002_nickname: .*longer than 8 \(seed 42\)$/),
    });
    // Shrunk to the shortest name that breaks it: eight characters, plus the '!'.
    expect(finding.counterexample.name).toHaveLength(8);
    expect(p.read(file).split('\n')[finding.line - 1]).toContain('nickname: (old) =>');

    const text = await p.run(['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'error transform-property: 0002_nickname: transform User.nickname fails for',
    );
    const github = await p.run(['check', '--format', 'github']);
    expect(github.stdout).toMatch(
      /^::error file=migrations\/0002_nickname.ts,line=\d+,title=evolve transform-property::/,
    );

    // Deterministic by default; --seed reproduces; --runs 0 skips the property tests.
    expect((await p.run(['check', '--format', 'json'])).stdout).toBe(json.stdout);
    expect((await p.run(['check', '--seed', '7'])).stdout).toContain('(seed 7)');
    expect((await p.run(['check', '--runs', '0'])).code).toBe(0);
  });

  it('exits 1 while a TODO transform remains, pointing at its line', async () => {
    const p = await generatedProject();
    const file = 'migrations/0001_init.ts';
    p.write(
      file,
      p
        .read(file)
        .replace(
          "import { defineMigration } from '@evolve/core';",
          "import { defineMigration, todo } from '@evolve/core';",
        )
        .replace(
          '  acknowledge: [],',
          "  acknowledge: [],\n  transforms: { User: { name: todo('User.name') } },",
        ),
    );
    await p.run(['hash']);
    const run = await p.run(['check', '--format', 'json']);
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'TODO_TRANSFORM', file, path: '0001_init' });
    expect(p.read(file).split('\n')[findings[0].line - 1]).toContain("todo('User.name')");
  });

  it('passes once the TODO transforms of a document step are filled, though the generated up still names d.todo (generated code and interpreter)', async () => {
    // Found checking the generated upgraders against Cambria's lenses: a type change with no safe
    // conversion and a removed enum value generate `d.given(t.x) ? d.call(...) : d.todo(...)`.
    const p = tempProject(cli.bin, 'check-docs');
    projects.push(p);
    p.write('evolve.config.mjs', CONFIG);
    const issue = (shape: string) => `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const Issue = defineModel('Issue', { target: 'document', table: 'issues', shape: { ${shape} } });
export default defineSchema([Issue]);
`;
    p.write(
      'src/models.ts',
      issue("title: z.string(), state: z.enum(['open', 'closed', 'wontfix']), pinned: z.boolean()"),
    );
    expect((await p.run(['generate', 'issues'])).code).toBe(0);
    p.write(
      'src/models.ts',
      issue("title: z.string(), state: z.enum(['open', 'closed']), pinned: z.number().int()"),
    );
    const generate = await p.run(['generate', 'lenses', '--json']);
    expect(generate.code, generate.stderr).toBe(0);
    const file = 'migrations/0002_lenses.ts';
    const generated = p.read(file);
    expect(generated).toMatch(/d\.given\(t\.pinned\) \? d\.call\(.*\) : d\.todo\(/);
    expect(generated).toMatch(/d\.given\(t\.state\) \? d\.call\(.*\) : d\.todo\(/);

    const todos = async () => {
      const run = await p.run(['check', '--format', 'json']);
      return {
        code: run.code,
        findings: JSON.parse(run.stdout).findings as { code: string; message: string }[],
      };
    };
    const before = await todos();
    expect(before.code).toBe(1);
    expect(before.findings.map((f) => f.code)).toEqual([
      'TODO_TRANSFORM',
      'TODO_TRANSFORM',
      'UNACKNOWLEDGED_CHANGE',
      'UNACKNOWLEDGED_CHANGE',
    ]);
    expect(before.findings.map((f) => f.message).join('\n')).toMatch(/Issue\.pinned[\s\S]*Issue\.state/);

    const filled = generated
      .replace('acknowledge: [],', "acknowledge: ['Issue.pinned', 'Issue.state'],")
      .replace(/pinned: todo\(.*\),$/m, 'pinned: (old) => (old.pinned ? 1 : 0),')
      .replace(/state: todo\(.*\),$/m, "state: (old) => (old.state === 'wontfix' ? 'closed' : old.state),");
    expect(filled).not.toMatch(/(?<![.\w])todo\('Issue/);
    p.write(file, filled);
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await todos()).toEqual({ code: 0, findings: [] });

    // The same migration without its documents section: the interpreter runs it, and the check still
    // reads the TODOs from the transforms.
    const interpreted = filled.replace(/\n {2}documents: \{[\s\S]*\n {2}\},\n\}\);\n$/, '\n});\n');
    expect(interpreted).not.toContain('documents:');
    p.write(file, interpreted);
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await todos()).toEqual({ code: 0, findings: [] });
    p.write(file, interpreted.replace(/pinned: \(old\) => [^\n]*0\)/, "pinned: todo('Issue.pinned')"));
    expect((await p.run(['hash'])).code).toBe(0);
    const again = await todos();
    expect(again.code).toBe(1);
    expect(again.findings).toMatchObject([
      { code: 'TODO_TRANSFORM', message: expect.stringContaining('Issue.pinned') },
    ]);
  });

  it('exits 1 for an unacknowledged destructive change until the migration acknowledges it', async () => {
    const p = await generatedProject();
    p.write('src/models.ts', userModels({ id: 'z.number().int()' }));
    expect((await p.run(['generate', 'drop_name'])).code).toBe(0);
    const run = await p.run(['check', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toMatchObject([
      { code: 'UNACKNOWLEDGED_CHANGE', path: 'User.name', file: 'migrations/0002_drop_name.ts' },
    ]);
    const file = 'migrations/0002_drop_name.ts';
    p.write(file, p.read(file).replace('acknowledge: [],', "acknowledge: ['User.name'],"));
    await p.run(['hash']);
    const after = await p.run(['check']);
    expect(after.code, after.stdout).toBe(0);
  });
});
