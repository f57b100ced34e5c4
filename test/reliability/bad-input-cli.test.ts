import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECT_OF, describeSqlEngines, type SqlEngineName } from '@evolve/harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedAccount } from './support/account-history.ts';
import { dropAccounts } from './support/accounts-db.ts';
import { accountModels, createProject, evolveCli, type Project } from './support/cli-project.ts';
import { dumpDatabase } from './support/dump-database.ts';
import type { SeenError } from './support/error-of.ts';

/**
 * Malformed files and settings given to the CLI: each must exit non-zero with `error CODE: message` (or,
 * for `check --format json`, a finding with that code) naming what is wrong, and leave the database
 * byte-for-byte unchanged (schema and data dumped before and after). Inputs that touch the database run on
 * every engine; inputs rejected before any connection (config, models, snapshots, sum file) run on one
 * engine each, rotating, to keep the suite's time down.
 */
interface EngineEnv {
  url: string;
  dialect: 'postgres' | 'mysql' | 'sqlite';
}

interface CliInput {
  name: string;
  code: string;
  names: RegExp;
  command: readonly string[];
  /** `all`: touches the database, runs on every engine. `one`: rejected before connecting, runs on one. */
  scope: 'all' | 'one';
  prepare?: (p: Project, e: EngineEnv) => Promise<void> | void;
  env?: (e: EngineEnv) => Record<string, string>;
  engines?: readonly EngineEnv['dialect'][];
}

const CHECK = ['check', '--format', 'json'];
const UP = ['up'];
const GENERATE = ['generate', 'next'];

const replaceIn = (p: Project, file: string, from: string | RegExp, to: string) => {
  const text = p.read(file);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture: ${String(from)} not found in ${file}`);
  p.write(file, next);
};
const migrationFile = (p: Project, id: string) => {
  const name = readdirSync(join(p.dir, 'migrations')).find((f) => f.startsWith(id));
  if (!name) throw new Error(`fixture: no migration ${id}`);
  return `migrations/${name}`;
};

const CORPUS: CliInput[] = [
  // Config files.
  {
    name: 'a config file with a syntax error',
    code: 'INVALID_CONFIG',
    names: /evolve\.config\.ts/,
    command: UP,
    scope: 'one',
    prepare: (p) => p.write('evolve.config.ts', "export default { schema: './src/models.ts',\n"),
  },
  {
    name: 'a config file that exports a number',
    code: 'INVALID_CONFIG',
    names: /object/,
    command: UP,
    scope: 'one',
    prepare: (p) => p.write('evolve.config.ts', 'export default 42;\n'),
  },
  {
    name: 'a config file with an unknown key',
    code: 'INVALID_CONFIG',
    names: /schemaa/,
    command: UP,
    scope: 'one',
    prepare: (p) => p.write('evolve.config.ts', "export default { schemaa: './src/models.ts' };\n"),
  },
  {
    name: 'a config file with a wrongly typed value',
    code: 'INVALID_CONFIG',
    names: /migrations/,
    command: UP,
    scope: 'one',
    prepare: (p) =>
      p.write('evolve.config.ts', "export default { schema: './src/models.ts', migrations: 42 };\n"),
  },
  {
    name: 'a JSON config file that is not JSON',
    code: 'INVALID_CONFIG',
    names: /JSON/,
    command: UP,
    scope: 'one',
    prepare: (p) => {
      rmSync(join(p.dir, 'evolve.config.ts'));
      p.write('evolve.config.json', '{ "schema": "./src/models.ts", ');
    },
  },
  {
    name: 'a config naming a schema module that does not exist',
    code: 'INVALID_CONFIG',
    names: /nope\.ts/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      p.write(
        'evolve.config.ts',
        "export default { schema: './src/nope.ts', migrations: './migrations' };\n",
      ),
  },
  {
    name: 'a database URL with an unsupported scheme',
    code: 'INVALID_CONFIG',
    names: /redis/,
    command: UP,
    scope: 'one',
    env: () => ({ DATABASE_URL: 'redis://127.0.0.1:6379/0' }),
  },
  // Models.
  {
    name: 'two models with the same name',
    code: 'INVALID_MODEL',
    names: /Account/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      p.write(
        'src/models.ts',
        accountModels({
          extra: "const Twin = defineModel('Account', { table: 'twins', shape: { id: z.number() } });",
        }).replace('defineSchema([Account])', 'defineSchema([Account, Twin])'),
      ),
  },
  {
    name: 'a model name that is not an identifier',
    code: 'INVALID_MODEL',
    names: /Bad Name/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => replaceIn(p, 'src/models.ts', "defineModel('Account'", "defineModel('Bad Name'"),
  },
  {
    name: 'a primary key on a missing field',
    code: 'INVALID_MODEL',
    names: /uuid/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      replaceIn(p, 'src/models.ts', "table: 'accounts',", "table: 'accounts', primaryKey: 'uuid',"),
  },
  {
    name: 'a zod type evolve cannot map',
    code: 'INVALID_MODEL',
    names: /map.*Account\.tags|Account\.tags.*map/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      replaceIn(
        p,
        'src/models.ts',
        'id: z.number().int(),',
        'id: z.number().int(), tags: z.map(z.string(), z.number()),',
      ),
  },
  {
    name: 'an index on a missing field',
    code: 'INVALID_MODEL',
    names: /ghost/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      replaceIn(
        p,
        'src/models.ts',
        "table: 'accounts',",
        "table: 'accounts', indexes: [{ fields: ['ghost'] }],",
      ),
  },
  {
    name: 'a schema module with a syntax error',
    code: 'INVALID_SCHEMA',
    names: /models\.ts/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => p.write('src/models.ts', accountModels().slice(0, 120)),
  },
  {
    name: 'a schema module without a default export',
    code: 'INVALID_SCHEMA',
    names: /default/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      replaceIn(p, 'src/models.ts', 'export default defineSchema', 'export const schema = defineSchema'),
  },
  // Snapshots.
  {
    name: 'a truncated snapshot.json',
    code: 'INVALID_SNAPSHOT',
    names: /snapshot\.json/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => p.write('migrations/snapshot.json', p.read('migrations/snapshot.json').slice(0, 200)),
  },
  {
    name: 'a hand-edited snapshot.json (content no longer matches its hash)',
    code: 'INVALID_SNAPSHOT',
    names: /hash/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => replaceIn(p, 'migrations/snapshot.json', '"maxLength": 100', '"maxLength": 150'),
  },
  {
    name: 'a snapshot.json of an unknown format version',
    code: 'INVALID_SNAPSHOT',
    names: /format|snapshot\.json/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => replaceIn(p, 'migrations/snapshot.json', '"format": 1', '"format": 99'),
  },
  // Migration files, checked without a database.
  {
    name: 'a migration file edited after evolve.sum was written',
    code: 'CHECKSUM_MISMATCH',
    names: /0002_add_tier/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => {
      const f = migrationFile(p, '0002');
      p.write(f, `${p.read(f)}\n// an innocent-looking edit\n`);
    },
  },
  {
    name: 'a malformed evolve.sum',
    code: 'CHECKSUM_MISMATCH',
    names: /sum/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => p.write('migrations/evolve.sum', 'not a sum file\n'),
  },
  {
    name: 'migration files renumbered (reordered) behind evolve.sum',
    code: 'CHECKSUM_MISMATCH',
    names: /0000_add_tier|0002_add_tier/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => {
      const f = migrationFile(p, '0002');
      p.write('migrations/0000_add_tier.ts', p.read(f).replace("id: '0002_add_tier'", "id: '0000_add_tier'"));
      rmSync(join(p.dir, f));
    },
  },
  // Migration files, applied with `up` (every engine).
  {
    name: 'an applied migration whose data was edited',
    code: 'CHECKSUM_MISMATCH',
    names: /0001_create_accounts/,
    command: UP,
    scope: 'all',
    prepare: (p) => replaceIn(p, migrationFile(p, '0001'), 'maxLength: 100', 'maxLength: 120'),
  },
  {
    name: 'an index.ts listing the migrations in the wrong order',
    code: 'INVALID_MIGRATION',
    names: /0001_create_accounts|0002_add_tier/,
    command: UP,
    scope: 'one',
    prepare: (p) => replaceIn(p, 'migrations/index.ts', '[m0001, m0002]', '[m0002, m0001]'),
  },
  {
    name: 'a migration file missing from index.ts',
    code: 'INVALID_MIGRATION',
    names: /0003_stray/,
    command: UP,
    scope: 'one',
    prepare: (p) =>
      p.write(
        'migrations/0003_stray.ts',
        p.read(migrationFile(p, '0002')).replace("id: '0002_add_tier'", "id: '0003_stray'"),
      ),
  },
  {
    name: 'a truncated migration file',
    code: 'INVALID_MIGRATION',
    names: /0002_add_tier/,
    command: UP,
    scope: 'one',
    prepare: (p) => {
      const f = migrationFile(p, '0002');
      p.write(f, p.read(f).slice(0, 300));
    },
  },
  {
    name: 'a pending migration file with a TODO transform',
    code: 'TODO_TRANSFORM',
    names: /displayName/,
    command: UP,
    scope: 'all',
    prepare: async (p) => {
      replaceIn(
        p,
        'src/models.ts',
        'id: z.number().int(),',
        'id: z.number().int(), displayName: z.string(),',
      );
      const r = await evolveCli(p, ['generate', 'add_display_name']);
      if (r.code !== 0) throw new Error(`fixture: generate failed: ${r.stderr}`);
    },
  },
  {
    name: 'a database at a newer version than the code',
    code: 'DATABASE_AHEAD',
    names: /0002_add_tier/,
    command: UP,
    scope: 'all',
    prepare: (p) => {
      rmSync(join(p.dir, migrationFile(p, '0002')));
      p.write(
        'migrations/index.ts',
        p
          .read('migrations/index.ts')
          .replace(/^import m0002.*$/m, '')
          .replace('[m0001, m0002]', '[m0001]'),
      );
    },
  },
  // The database itself.
  {
    name: 'an unreachable database (closed port / missing directory)',
    code: 'CONNECTION_FAILED',
    names: /127\.0\.0\.1|connect|not-a-dir/i,
    prepare: (p) => p.write('not-a-dir', 'a file, not a folder\n'),
    command: UP,
    scope: 'all',
    env: (e) => ({
      DATABASE_URL:
        e.dialect === 'postgres'
          ? 'postgres://postgres@127.0.0.1:1/test'
          : e.dialect === 'mysql'
            ? 'mysql://root@127.0.0.1:1/test'
            : // A path under a regular file: the directory cannot exist.
              'file:./not-a-dir/app.db',
    }),
  },
  {
    name: 'wrong credentials',
    code: 'CONNECTION_FAILED',
    names: /evolve_nobody|denied|authentication|role/i,
    command: UP,
    scope: 'all',
    engines: ['postgres', 'mysql'],
    env: (e) => {
      const u = new URL(e.url);
      u.username = 'evolve_nobody';
      u.password = 'wrong';
      return { DATABASE_URL: u.toString() };
    },
  },
];

const ONE_ENGINES: readonly SqlEngineName[] = ['sqlite', 'postgres', 'mysql'];
/** A file-only input runs on one engine: the inputs rotate over the three. */
const engineOf = (input: CliInput) => ONE_ENGINES[CORPUS.indexOf(input) % ONE_ENGINES.length];

/** What the CLI reported: the `error CODE:` line, or the finding with the expected code from check's JSON. */
function reported(
  stdout: string,
  _stderr: string,
  code: string,
  error: SeenError | undefined,
): SeenError | undefined {
  try {
    const json = JSON.parse(stdout) as { findings?: { code: string; message: string; path?: string }[] };
    const finding = json.findings?.find((f) => f.code === code) ?? json.findings?.[0];
    if (finding) return { code: finding.code, message: `${finding.message} ${finding.path ?? ''}` };
  } catch {
    // not JSON: an error line on stderr
  }
  return error;
}

/** Every file of a folder with its content, to check that a refused command wrote nothing. */
function folderState(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort()
    .map((f) => `${f}\n${readFileSync(f, 'utf8')}`)
    .join('\n');
}

let base: Project;

beforeAll(async () => {
  // The application: accounts, then a tier with a default; two generated migrations, snapshot and sum.
  base = createProject(accountModels());
  const first = await evolveCli(base, ['generate', 'create_accounts']);
  if (first.code !== 0) throw new Error(`generate failed: ${first.stdout}${first.stderr}`);
  base.write('src/models.ts', accountModels({ tier: true }));
  const second = await evolveCli(base, ['generate', 'add_tier']);
  if (second.code !== 0) throw new Error(`generate failed: ${second.stdout}${second.stderr}`);
}, 60_000);

afterAll(() => base?.remove());

describeSqlEngines(
  'bad input (CLI)',
  (ctx, engine) => {
    const rows = CORPUS.filter(
      (i) =>
        (i.scope === 'all' || engineOf(i) === engine) &&
        (!i.engines || i.engines.includes(DIALECT_OF[engine])),
    );
    beforeAll(async () => {
      const { db, url } = ctx();
      await dropAccounts(db);
      const r = await evolveCli(base, UP, { DATABASE_URL: url ?? '' });
      if (r.code !== 0) throw new Error(`up failed: ${r.stdout}${r.stderr}`);
      await db
        .insertInto('accounts')
        .values(Array.from({ length: 40 }, (_, i) => seedAccount(i + 1)))
        .execute();
    }, 60_000);

    it(`the CLI corpus has at least 25 inputs (${CORPUS.length})`, () => {
      expect(CORPUS.length).toBeGreaterThanOrEqual(25);
    });

    for (const input of rows) {
      it(`${input.name}: exit non-zero with ${input.code}, named in the message, database unchanged`, async () => {
        const { db, dialect, url } = ctx();
        if (!url) throw new Error('needs a URL');
        const e: EngineEnv = { url, dialect };
        const p = base.copy();
        try {
          await input.prepare?.(p, e);
          const filesBefore = folderState(join(p.dir, 'migrations'));
          const before = await dumpDatabase(db, dialect);
          const r = await evolveCli(p, input.command, { DATABASE_URL: url, ...input.env?.(e) });
          const after = await dumpDatabase(db, dialect);
          const seen = reported(r.stdout, r.stderr, input.code, r.error);
          console.log(
            `[bad-input] ${engine} CLI: ${input.name} -> exit ${r.code}, ${seen?.code}: ${seen?.message}`,
          );
          expect(
            r.code,
            `exit code (stdout ${r.stdout.slice(-800)} stderr ${r.stderr.slice(-800)})`,
          ).not.toBe(0);
          expect(r.timedOut).toBe(false);
          expect(seen?.code, `stderr: ${r.stderr.slice(-800)}`).toBe(input.code);
          expect(seen?.message).toMatch(input.names);
          expect(after, 'database unchanged').toBe(before);
          expect(folderState(join(p.dir, 'migrations')), 'migrations folder unchanged').toBe(filesBefore);
        } finally {
          p.remove();
        }
      }, 60_000);
    }
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
