import { rmSync } from 'node:fs';
import { join } from 'node:path';
// The programmatic API (what the commands call), from source, on an embedded SQLite database.
import { afterAll, describe, expect, it } from 'vitest';
import { check, down, generate, plan, sqlPreview, status, up } from '../src/index.ts';
import { type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

const projects: TempProject[] = [];
afterAll(() => {
  for (const p of projects) p.remove();
});

describe('the programmatic API', () => {
  it('generates, checks, applies, reports and reverts without the CLI', async () => {
    const p = tempProject('', 'api');
    projects.push(p);
    const cwd = p.dir;
    const env = {};
    p.write('evolve.config.mjs', CONFIG);
    p.write('src/models.ts', userModels({ id: 'z.number().int()', email: 'z.string().max(200)' }));

    expect(await plan({ cwd, env })).toMatchObject({ changed: true, dialect: 'sqlite' });
    const written = await generate({ cwd, env, name: 'create users' });
    expect(written).toMatchObject({ status: 'written', id: '0001_create_users', hasTodos: false });
    expect(await generate({ cwd, env })).toMatchObject({ status: 'unchanged' });
    expect(await check({ cwd, env })).toEqual({ exitCode: 0, findings: [] });

    const preview = await sqlPreview({ cwd, env, all: true, dialect: 'postgres' });
    expect(preview.migrations[0]?.text).toContain('create table "users"');

    const applied = await up({ cwd, env });
    expect(applied.error).toBeUndefined();
    expect(applied.applied.map((r) => r.id)).toEqual(['0001_create_users']);
    expect(await status({ cwd, env })).toMatchObject({ applied: ['0001_create_users'], pending: [] });

    const reverted = await down({ cwd, env, to: '0', acknowledgeDataLoss: true });
    expect(reverted.error).toBeUndefined();
    expect(await status({ cwd, env })).toMatchObject({ applied: [], pending: ['0001_create_users'] });
  });

  it('reports an ambiguous rename through the answer callback, and applies the answer', async () => {
    const p = tempProject('', 'api');
    projects.push(p);
    const cwd = p.dir;
    p.write('evolve.config.mjs', CONFIG);
    p.write('src/models.ts', userModels({ id: 'z.number().int()', name: 'z.string()' }));
    await generate({ cwd, env: {} });
    p.write('src/models.ts', userModels({ id: 'z.number().int()', fullName: 'z.string()' }));
    await expect(generate({ cwd, env: {} })).rejects.toMatchObject({ code: 'AMBIGUOUS_RENAME' });
    const questions: unknown[] = [];
    const result = await generate({
      cwd,
      env: {},
      resolveRename: async (question) => {
        questions.push(question);
        return { rename: question.candidates[0]! };
      },
    });
    expect(questions).toEqual([
      { kind: 'field', model: 'User', removed: 'User.name', candidates: ['fullName'] },
    ]);
    expect(result).toMatchObject({
      status: 'written',
      changes: [{ kind: 'renameField', path: ['fullName'] }],
    });
  });

  it('asks about type-compatible renames only: a vanished boolean is not offered a new string as its new name', async () => {
    const p = tempProject('', 'api');
    projects.push(p);
    const cwd = p.dir;
    p.write('evolve.config.mjs', CONFIG);
    p.write(
      'src/models.ts',
      userModels({ id: 'z.number().int()', name: 'z.string()', active: 'z.boolean()' }),
    );
    await generate({ cwd, env: {} });
    p.write(
      'src/models.ts',
      userModels({ id: 'z.number().int()', fullName: 'z.string()', enabled: 'z.boolean()' }),
    );
    const questions: unknown[] = [];
    const result = await generate({
      cwd,
      env: {},
      resolveRename: async (question) => {
        questions.push(question);
        return { rename: question.candidates[0]! };
      },
    });
    expect(questions).toEqual([
      { kind: 'field', model: 'User', removed: 'User.active', candidates: ['enabled'] },
      { kind: 'field', model: 'User', removed: 'User.name', candidates: ['fullName'] },
    ]);
    expect(result).toMatchObject({
      status: 'written',
      changes: [
        { kind: 'renameField', path: ['enabled'] },
        { kind: 'renameField', path: ['fullName'] },
      ],
    });
  });

  it('refuses to generate when snapshot.json is missing but migrations exist (it would re-create every model)', async () => {
    const p = tempProject('', 'api');
    projects.push(p);
    p.write('evolve.config.mjs', CONFIG);
    p.write('src/models.ts', userModels({ id: 'z.number().int()' }));
    await generate({ cwd: p.dir, env: {} });
    rmSync(join(p.dir, 'migrations/snapshot.json'));
    p.write('src/models.ts', userModels({ id: 'z.number().int()', email: 'z.string().nullable()' }));
    await expect(generate({ cwd: p.dir, env: {} })).rejects.toMatchObject({
      code: 'INVALID_SNAPSHOT',
      path: join(p.dir, 'migrations/snapshot.json'),
    });
    expect(p.files().filter((f) => f.startsWith('migrations/0'))).toEqual(['migrations/0001_create_user.ts']);
  });
});
