import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK, type CliInput, GENERATE, migrationFile, replaceIn, UP } from './bad-input-cli-kit.ts';
import { accountModels, evolveCli } from './cli-project.ts';

/** Malformed config files, models, snapshots, migration files and connection settings (the first 28 inputs). */
export const FILE_INPUTS: CliInput[] = [
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
