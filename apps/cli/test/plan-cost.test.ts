// `evolve plan --cost` (issue 13, "the cost of each change"): the lock, hold, rows and estimated duration of
// each SQL step, against a real `evolve up` of the same migration on 100k rows: the row counts (from the
// engine's statistics) within 2x of the true count, the estimated total within 10x of the measured run.
import { describeSqlEngines } from '@evolve/harness';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PlanResult } from '../src/index.ts';
import { buildTestCli, type TempProject, tempProject } from './helpers/cli-project.ts';
import { CONFIG, userModels } from './helpers/models.ts';

const ROWS = 100_000;
let cli: Awaited<ReturnType<typeof buildTestCli>>;
beforeAll(async () => {
  cli = await buildTestCli();
}, 120_000);
afterAll(() => cli?.cleanup());

async function seed(db: Kysely<any>, engine: string): Promise<void> {
  if (engine === 'postgres') {
    await sql`insert into users (id, name) select g, 'user ' || g from generate_series(1, ${sql.lit(ROWS)}) g`.execute(
      db,
    );
    await sql`analyze users`.execute(db);
  } else if (engine === 'sqlite') {
    await sql`insert into users (id, name) with recursive s(n) as (select 1 union all select n + 1 from s where n < ${sql.lit(ROWS)}) select n, 'user ' || n from s`.execute(
      db,
    );
  } else {
    // MariaDB caps recursive CTEs at 1000 iterations: five digit tables cross-joined count to 100k
    const digit = sql.raw(
      `(select 0 d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9)`,
    );
    await sql`insert into users (id, name) select n, concat('user ', n) from (select 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d as n from ${digit} a, ${digit} b, ${digit} c, ${digit} e, ${digit} f) s`.execute(
      db,
    );
    await sql`analyze table users`.execute(db);
  }
}

describeSqlEngines(
  'evolve plan --cost',
  (ctx, engine) => {
    let p: TempProject;
    beforeAll(() => {
      p = tempProject(cli.bin, `cost-${engine}`);
    });
    afterAll(() => p?.remove());

    it('estimates the rows within 2x and the duration within 10x of a real run on 100k rows', async () => {
      const { db, url } = ctx();
      const database = engine === 'sqlite' ? `file:${url}` : (url as string);
      const run = (...args: string[]) => p.run(args, { DATABASE_URL: database });
      p.write('evolve.config.ts', CONFIG);
      p.write('src/models.ts', userModels({ id: 'z.number().int()', name: 'z.string()' }));
      expect((await run('generate', 'init')).code).toBe(0);
      expect((await run('up')).code).toBe(0);
      await seed(db, engine);

      // a required field filled by a TS transform (a backfill), and an index on it
      p.write(
        'src/models.ts',
        userModels(
          { id: 'z.number().int()', name: 'z.string()', email: 'z.string().max(200)' },
          "\n  indexes: [{ fields: ['email'] }],",
        ),
      );
      const unchanged = await run('plan');
      expect(unchanged.code, unchanged.stderr).toBe(0);
      expect(unchanged.stdout).not.toContain('Cost on');
      const text = await run('plan', '--cost');
      expect(text.code, text.stderr).toBe(0);
      // the plain output is a prefix of the one with costs: the cost section is added before the last lines
      const [head] = unchanged.stdout.split('\n\nNothing written.');
      expect(text.stdout.startsWith(`${head}\nCost on ${engine} (estimates:`)).toBe(true);
      expect(text.stdout).toMatch(
        /backfill users\.email in batches: row locks, per batch, \d+ rows, ~[\d.]+ m?s/,
      );
      expect(text.stdout).toMatch(/create index users_email_idx on users[^:]*: [^\n]*index build, \d+ rows/);
      console.log(text.stdout.slice(text.stdout.indexOf('Cost on')));

      const json = await run('plan', '--cost', '--json');
      expect(json.code, json.stderr).toBe(0);
      const { cost } = JSON.parse(json.stdout) as PlanResult;
      expect(cost?.rowsFrom).toBe('live statistics');
      const backfill = cost?.steps.find((s) => s.holds === 'per batch');
      const index = cost?.steps.find((s) => s.holds === 'index build');
      expect(backfill).toMatchObject({ lock: 'row', table: 'users' });
      expect(index).toMatchObject({ table: 'users', lock: engine === 'sqlite' ? 'writes' : 'none' });
      for (const step of [backfill, index]) {
        expect(step?.rows).toBeGreaterThan(ROWS / 2);
        expect(step?.rows).toBeLessThan(ROWS * 2);
        expect(step?.seconds).toBeGreaterThan(0);
      }

      // the real run: generate the same migration, write its transform, apply it
      const generated = await run('generate', 'add_email');
      expect(generated.code, generated.stderr).toBe(0);
      const file = p.files().find((f) => f.startsWith('migrations/0002_')) as string;
      p.write(
        file,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source written into the migration
        p.read(file).replace(/email: todo\([^)]*\)/, 'email: (old) => `${String(old.name)}@example.com`'),
      );
      const started = performance.now();
      const up = await run('up');
      const measured = (performance.now() - started) / 1000;
      expect(up.code, up.stdout + up.stderr).toBe(0);
      const estimated = cost?.seconds as number;
      console.log(
        `${engine}: estimated ${estimated.toFixed(2)} s, measured ${measured.toFixed(2)} s (evolve up)`,
      );
      expect(estimated).toBeGreaterThan(measured / 10);
      expect(estimated).toBeLessThan(measured * 10);
      const filled = await sql<{
        n: number;
      }>`select count(*) as n from users where email like '%@example.com'`.execute(db);
      expect(Number(filled.rows[0]?.n)).toBe(ROWS);
    }, 300_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
