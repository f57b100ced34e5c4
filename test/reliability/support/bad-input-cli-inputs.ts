import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK, type CliInput, GENERATE, migrationFile, replaceIn, UP } from './bad-input-cli-kit.ts';
import { evolveCli, type Project } from './cli-project.ts';

/**
 * The CLI side of issue 11: injected model text, unwritable folders, configs that are not objects, connection
 * failures in every command, and an applied migration whose code was edited and deliberately re-hashed.
 */
const addField = (p: Project, field: string) =>
  replaceIn(p, 'src/models.ts', 'id: z.number().int(),', `id: z.number().int(), ${field},`);

/** DATABASE_URL of a server that refuses connections (SQLite: a file below a regular file). */
const unreachable = (dialect: string) =>
  dialect === 'postgres'
    ? 'postgres://app:Pw9s3cr3t@127.0.0.1:1/test'
    : dialect === 'mysql'
      ? 'mysql://app:Pw9s3cr3t@127.0.0.1:1/test'
      : 'file:./not-a-dir/app.db';

export const MORE_CLI_INPUTS: CliInput[] = [
  {
    name: 'generate with a read-only snapshot.json',
    code: 'INVALID_MIGRATION',
    names: /snapshot\.json.*read-only/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => {
      addField(p, 'note: z.string().nullable()');
      chmodSync(join(p.dir, 'migrations/snapshot.json'), 0o444);
    },
  },
  {
    name: 'a config file that exports null',
    code: 'INVALID_CONFIG',
    names: /evolve\.config\.ts|object|null/,
    command: UP,
    scope: 'one',
    prepare: (p) => p.write('evolve.config.ts', 'export default null;\n'),
  },
  {
    name: 'a config file whose default export is a promise that never settles',
    code: 'INVALID_CONFIG',
    names: /evolve\.config\.ts.*did not finish loading within 1 s/,
    command: UP,
    scope: 'one',
    env: () => ({ EVOLVE_CONFIG_TIMEOUT_MS: '1000' }),
    prepare: (p) => p.write('evolve.config.ts', 'export default new Promise(() => {});\n'),
  },
  {
    name: 'a config file with a top-level await that never settles',
    code: 'INVALID_CONFIG',
    names: /evolve\.config\.ts.*did not finish loading within 1 s/,
    command: UP,
    scope: 'one',
    env: () => ({ EVOLVE_CONFIG_TIMEOUT_MS: '1000' }),
    prepare: (p) =>
      p.write(
        'evolve.config.ts',
        "await new Promise(() => {});\nexport default { schema: './src/models.ts' };\n",
      ),
  },
  {
    name: 'a migrations path that is a file',
    code: 'INVALID_CONFIG',
    names: /migs.*not a folder|not a folder.*migs/,
    command: UP,
    scope: 'one',
    prepare: (p) => {
      p.write('evolve.config.ts', "export default { schema: './src/models.ts', migrations: './migs' };\n");
      p.write('migs', 'a file\n');
    },
  },
  {
    name: 'a model whose sqlType carries a second statement',
    code: 'INVALID_MODEL',
    names: /sqlType.*Account\.note/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => addField(p, "note: z.string().meta({ sqlType: 'text); drop table accounts; --' })"),
  },
  {
    name: 'a model with a NUL byte in an enum value',
    code: 'INVALID_MODEL',
    names: /Account\.kind.*NUL/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => addField(p, "kind: z.enum(['a', 'b\\0'])"),
  },
  {
    name: 'a model with a NUL byte in a default',
    code: 'INVALID_MODEL',
    names: /Account\.note.*NUL/,
    command: GENERATE,
    scope: 'one',
    prepare: (p) => addField(p, "note: z.string().default('x\\0y')"),
  },
  {
    name: 'a model with a field named __proto__',
    code: 'INVALID_MODEL',
    names: /__proto__/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => addField(p, "['__proto__']: z.string()"),
  },
  {
    name: 'a schema module whose default export is null',
    code: 'INVALID_SCHEMA',
    names: /default/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      replaceIn(p, 'src/models.ts', 'export default defineSchema([Account]);', 'export default null;'),
  },
  {
    name: 'a schema module that throws while loading',
    code: 'INVALID_SCHEMA',
    names: /models\.ts|broken on purpose/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => p.write('src/models.ts', "throw new Error('broken on purpose');\n"),
  },
  {
    name: 'an index.ts that exports a string',
    code: 'INVALID_MIGRATION',
    names: /index\.ts/,
    command: UP,
    scope: 'one',
    prepare: (p) => p.write('migrations/index.ts', "export default 'm0001';\n"),
  },
  {
    name: 'an evolve.sum missing a migration',
    code: 'CHECKSUM_MISMATCH',
    names: /0002_add_tier/,
    command: CHECK,
    scope: 'one',
    prepare: (p) =>
      p.write('migrations/evolve.sum', p.read('migrations/evolve.sum').replace(/^0002_add_tier.*\n/m, '')),
  },
  {
    name: 'an edited migration: the message says how to proceed',
    code: 'CHECKSUM_MISMATCH',
    names: /evolve hash.*restore/,
    command: CHECK,
    scope: 'one',
    prepare: (p) => replaceIn(p, migrationFile(p, '0002'), "'pro'", "'premium'"),
  },
  {
    name: 'a --rename flag without =',
    code: 'INVALID_CONFIG',
    names: /--rename.*Account\.name/,
    command: [...GENERATE, '--rename', 'Account.name'],
    scope: 'one',
  },
  {
    name: 'an applied migration whose code was edited and re-hashed',
    code: 'CHECKSUM_MISMATCH',
    names: /0002_add_tier/,
    command: UP,
    scope: 'all',
    prepare: async (p) => {
      replaceIn(
        p,
        migrationFile(p, '0002'),
        'acknowledge: [],',
        "acknowledge: [],\n  transforms: { Account: { tier: () => 'pro' } },",
      );
      const hash = await evolveCli(p, ['hash']);
      if (hash.code !== 0) throw new Error(`fixture: hash failed: ${hash.stderr}`);
    },
  },
  {
    name: 'status against an unreachable database',
    code: 'CONNECTION_FAILED',
    names: /127\.0\.0\.1|connect|not-a-dir/i,
    command: ['status'],
    scope: 'all',
    prepare: (p) => p.write('not-a-dir', 'a file, not a folder\n'),
    env: (e) => ({ DATABASE_URL: unreachable(e.dialect) }),
  },
  {
    name: 'status --json against an unreachable database',
    code: 'CONNECTION_FAILED',
    names: /127\.0\.0\.1|connect|not-a-dir/i,
    command: ['status', '--json'],
    scope: 'all',
    prepare: (p) => p.write('not-a-dir', 'a file, not a folder\n'),
    env: (e) => ({ DATABASE_URL: unreachable(e.dialect) }),
  },
  {
    name: 'check --db against an unreachable database',
    code: 'CONNECTION_FAILED',
    names: /127\.0\.0\.1|connect|not-a-dir/i,
    command: ['check', '--db', '--format', 'json'],
    scope: 'all',
    prepare: (p) => p.write('not-a-dir', 'a file, not a folder\n'),
    env: (e) => ({ DATABASE_URL: unreachable(e.dialect) }),
  },
  {
    name: 'down to a migration that does not exist',
    code: 'NOT_FOUND',
    names: /0009_nope/,
    command: ['down', '--to', '0009_nope', '--yes'],
    scope: 'all',
  },
];
