import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
const projects: TempProject[] = [];

beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => {
  for (const p of projects) p.remove();
  cli.cleanup();
});

const notes = (shape: string) => `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const Note = defineModel('Note', { target: 'document', table: 'notes', shape: { ${shape} } });
export default defineSchema([Note]);
`;
const V1 = '_id: z.string(), title: z.string().max(20), price: z.number().int()';

/** A project whose notes gain `added` in 0002_change; returns it with that migration's path and text. */
async function changedProject(added: string, v1 = V1) {
  const p = tempProject(cli.bin, 'check-doc-props');
  projects.push(p);
  p.write('evolve.config.mjs', CONFIG);
  p.write('src/models.ts', notes(v1));
  expect((await p.run(['generate', 'notes'])).code).toBe(0);
  p.write('src/models.ts', notes(`${v1}, ${added}`));
  const generate = await p.run(['generate', 'change']);
  expect(generate.code, generate.stderr).toBe(0);
  const file = 'migrations/0002_change.ts';
  return { p, file, text: p.read(file) };
}

async function findings(p: TempProject) {
  const run = await p.run(['check', '--format', 'json']);
  return { code: run.code, stdout: run.stdout, findings: JSON.parse(run.stdout).findings };
}

describe('evolve check: properties of document upgraders', () => {
  it('exits 1 for a transform whose upgraded documents do not validate, with the shrunk document, in every format', async () => {
    const { p, file, text } = await changedProject('slug: z.string().max(10)');
    p.write(file, text.replace(/slug: todo\([^)]*\),/, "slug: (old) => String(old.title) + '-x',"));
    expect((await p.run(['hash'])).code).toBe(0);

    const json = await findings(p);
    expect(json.code, json.stdout).toBe(1);
    const [finding, ...rest] = json.findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'transform-property',
      severity: 'error',
      path: 'Note.slug',
      file,
      message: expect.stringMatching(/^0002_change: valid-upgrade of Note fails for .* \(seed 42\)$/),
    });
    // the shortest title that breaks it: nine characters, plus '-x'
    expect(finding.counterexample).toMatchObject({ _v: 1 });
    expect(finding.counterexample.title).toHaveLength(9);
    expect(p.read(file).split('\n')[finding.line - 1]).toContain('slug: (old) =>');

    const text1 = await p.run(['check']);
    expect(text1.code).toBe(1);
    expect(text1.stdout).toContain('error transform-property: 0002_change: valid-upgrade of Note fails for');
    const github = await p.run(['check', '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(
      /^::error file=migrations\/0002_change.ts,line=\d+,title=evolve transform-property::0002_change: valid-upgrade/,
    );
    // deterministic by default; --runs 0 skips the document properties too
    expect((await findings(p)).stdout).toBe(json.stdout);
    expect((await p.run(['check', '--seed', '7'])).stdout).toContain('(seed 7)');
    expect((await p.run(['check', '--runs', '0'])).code).toBe(0);
  });

  it('exits 1 for a non-idempotent transform (hidden state) and for a lossy down of a lossless step', async () => {
    const { p, file, text } = await changedProject('seq: z.number().int()');
    const counting = text
      .replace('import { defineMigration', 'let next = 0;\nimport { defineMigration')
      .replace(/seq: todo\([^)]*\),/, 'seq: () => ++next,');
    p.write(file, counting);
    expect((await p.run(['hash'])).code).toBe(0);
    const counted = await findings(p);
    expect(counted.code).toBe(1);
    expect(counted.findings).toMatchObject([
      {
        code: 'transform-property',
        path: 'Note.seq',
        message: expect.stringMatching(/idempotent-upgrade .*gives two results at seq/),
      },
    ]);

    // the generated down removes seq: fine. A hand-edited one that also resets the price is not.
    const lossy = text
      .replace(/seq: todo\([^)]*\),/, 'seq: () => 1,')
      .replace(/(\n {6}down\(doc.*\{\n)/, '$1        doc = { ...doc, price: 0 };\n');
    expect(lossy).toContain('doc = { ...doc, price: 0 };');
    p.write(file, lossy);
    expect((await p.run(['hash'])).code).toBe(0);
    const lost = await findings(p);
    expect(lost.code).toBe(1);
    expect(lost.findings.map((f: { message: string }) => f.message.split(' of ')[0])).toEqual([
      '0002_change: lossless-down',
      '0002_change: generated-matches-interpreter',
    ]);
    expect(lost.findings[0]).toMatchObject({ path: 'Note.price' });
    const price = lost.findings[0].counterexample.price;
    expect(Math.abs(price)).toBe(1);
    expect(lost.findings[0].message).toContain(`down(up(x)) differs from x at price: 0 instead of ${price}`);
    expect(p.read(file).split('\n')[lost.findings[0].line - 1]).toMatch(/^\s*Note: \{/);
  });

  it('writes a counterexample holding a bigint in JSON (as text)', async () => {
    const { p, file, text } = await changedProject('slug: z.string().max(10)', `${V1}, views: z.bigint()`);
    p.write(file, text.replace(/slug: todo\([^)]*\),/, "slug: (old) => String(old.title) + '-x',"));
    expect((await p.run(['hash'])).code).toBe(0);
    const json = await findings(p);
    expect(json.code).toBe(1);
    expect(json.findings).toMatchObject([{ path: 'Note.slug', counterexample: { views: '0n' } }]);
  });

  it('passes once the transforms are right', async () => {
    const { p, file, text } = await changedProject('slug: z.string().max(21)');
    p.write(file, text.replace(/slug: todo\([^)]*\),/, "slug: (old) => String(old.title) + '!',"));
    expect((await p.run(['hash'])).code).toBe(0);
    expect(await findings(p)).toMatchObject({ code: 0, findings: [] });
  });
});
