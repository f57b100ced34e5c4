import { fileURLToPath } from 'node:url';
import type { ChangeKind, DiffOptions } from '@evolve/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERY_SQL_CHANGE_KIND } from '../../../packages/sql/test/fixtures/history-every-change.ts';
import { HISTORY_MODELS } from '../../../packages/sql/test/fixtures/history-every-change-models.ts';
import { generate, plan, sqlPreview } from '../src/index.ts';
import { type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

// `plan` shows the migration `generate` then writes (issue 13, item 1): for every version of a model
// history and every dialect, plan's SQL is byte for byte `evolve sql` of the written module.

const DIALECTS = ['postgres', 'mysql', 'sqlite'] as const;
const projects: TempProject[] = [];
afterAll(() => {
  for (const p of projects) p.remove();
});

interface Version {
  /** The schema module's source (its default export is the version's schema). */
  module: string;
  name: string;
  options?: DiffOptions;
}

/** Plans, generates and previews every version in turn; returns the change kinds it met. */
async function walk(label: string, versions: readonly Version[]): Promise<Set<ChangeKind>> {
  const p = tempProject('', label);
  projects.push(p);
  const cwd = p.dir;
  const env = {};
  p.write('evolve.config.mjs', CONFIG);
  const kinds = new Set<ChangeKind>();
  for (const version of versions) {
    p.write('src/models.ts', version.module);
    const decided = { renames: version.options?.renames ?? {}, drops: version.options?.drops ?? [] };
    const planned = new Map<string, { id?: string; sql: string }>();
    for (const dialect of DIALECTS) {
      planned.set(dialect, await plan({ cwd, env, dialect, name: version.name, ...decided }));
    }
    const written = await generate({ cwd, env, name: version.name, ...decided });
    if (written.status !== 'written') throw new Error(`${label} ${version.name}: nothing written`);
    for (const c of written.changes) kinds.add(c.kind);
    for (const dialect of DIALECTS) {
      const shown = planned.get(dialect);
      const preview = await sqlPreview({ cwd, env, dialect, ids: [written.id] });
      expect(shown?.id, `${written.id} id`).toBe(written.id);
      expect(shown?.sql, `${written.id} on ${dialect}`).toBe(preview.migrations[0]?.text);
    }
  }
  return kinds;
}

describe('plan shows the migration generate writes', () => {
  it('byte for byte on every dialect, at every version of the history that uses every SQL change kind', async () => {
    const models = fileURLToPath(
      new URL('../../../packages/sql/test/fixtures/history-every-change-models.ts', import.meta.url),
    );
    const kinds = await walk(
      'plan-history',
      HISTORY_MODELS.map((v, i) => ({
        module: `import { historySchema } from '${models}';\nexport default historySchema(${i + 1});\n`,
        name: v.slug,
        ...(v.options ? { options: v.options } : {}),
      })),
    );
    expect([...kinds].sort()).toEqual(expect.arrayContaining([...EVERY_SQL_CHANGE_KIND].sort()));
  }, 120_000);

  it('byte for byte on every dialect, at every version of the example app', async () => {
    const history = fileURLToPath(new URL('../../example/model-history/', import.meta.url));
    const names = ['init', 'rename order total', 'split customer name', 'order status enum'];
    const rest = ['order currency', 'indexes', 'event context'];
    await walk(
      'plan-example',
      [...names, ...rest].map((name, i) => ({
        module: `export { default } from '${history}v${i + 1}.ts';\n`,
        name,
        ...(i === 2 ? { options: { drops: ['Customer.name'] } } : {}),
      })),
    );
  }, 120_000);

  it('shows the shadow column and transform of a converting type change, not an ALTER TYPE (the issue)', async () => {
    const p = tempProject('', 'plan-age');
    projects.push(p);
    const cwd = p.dir;
    const env = {};
    p.write('evolve.config.mjs', CONFIG);
    p.write('src/models.ts', userModels({ id: 'z.number().int()', age: 'z.number().int()' }));
    await generate({ cwd, env });
    p.write('src/models.ts', userModels({ id: 'z.number().int()', age: 'z.string().max(10)' }));
    const shown = await plan({ cwd, env, dialect: 'postgres' });
    expect(shown.sql).toMatch(/"_evolve_age_[0-9a-f]+"/);
    expect(shown.sql).toContain('transform User.age');
    expect(shown.sql).not.toMatch(/alter column "age" type/);
    const written = await generate({ cwd, env });
    if (written.status !== 'written') throw new Error('nothing written');
    const preview = await sqlPreview({ cwd, env, dialect: 'postgres', ids: [written.id] });
    expect(shown.sql).toBe(preview.migrations[0]?.text);
  });
});
