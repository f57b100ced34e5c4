// End to end through the built CLI: a generated key is created, made plain and generated again by the
// migrations `evolve generate` writes, and `evolve check --db` stays clean after each `up`.
import { describeSqlEngines } from '@evolve/harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

let cli: Awaited<ReturnType<typeof buildTestCli>>;
beforeAll(async () => {
  cli = await buildTestCli();
});
afterAll(() => cli?.cleanup());

const fields = (id: string) => ({ id, name: 'z.string().max(40)' });
const GENERATED = fields("z.number().int().meta({ generated: 'identity' })");
const PLAIN = fields('z.number().int()');

describeSqlEngines(
  'evolve CLI: generated keys',
  (ctx, engine) => {
    let p: TempProject;
    beforeAll(() => {
      p = tempProject(cli.bin, `gk-${engine}`);
    });
    afterAll(() => p?.remove());

    it('generates, applies and checks the migrations that create, drop and restore a generated key', async () => {
      const { db, url } = ctx();
      const database = engine === 'sqlite' ? `file:${url}` : (url as string);
      const run = (...args: string[]) => p.run(args, { DATABASE_URL: database });
      const names = async () =>
        (await db.selectFrom('users').select(['id', 'name']).orderBy('id').execute()).map(
          (r) => `${Number(r.id)} ${r.name}`,
        );
      p.write('evolve.config.ts', CONFIG);
      const steps: Array<[string, Record<string, string>, RegExp]> = [
        ['create_users', GENERATED, /createTable\([\s\S]*generated: 'identity'/],
        ['plain_key', PLAIN, /dropIdentity\('users', 'id'\)/],
        ['generated_key', GENERATED, /addIdentity\('users', 'id'\)/],
      ];
      for (const [i, [name, shape, expected]] of steps.entries()) {
        p.write('src/models.ts', userModels(shape));
        const generated = await run('generate', name);
        expect(generated.code, generated.stderr).toBe(0);
        expect(p.read(`migrations/000${i + 1}_${name}.ts`)).toMatch(expected);
        const up = await run('up');
        expect(up.code, up.stdout + up.stderr).toBe(0);
        const check = await run('check', '--db');
        expect(check.code, check.stdout + check.stderr).toBe(0);
        // a plain key must be given; a generated one is left out
        const row = shape === GENERATED ? { name: `after ${name}` } : { id: 10, name: `after ${name}` };
        await db.insertInto('users').values(row).execute();
      }
      expect(await names()).toEqual(['1 after create_users', '10 after plain_key', '11 after generated_key']);
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
