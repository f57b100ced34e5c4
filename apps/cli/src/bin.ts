#!/usr/bin/env node
// The evolve CLI entry: declares the commands and imports the command code only when a command runs, so
// `evolve --help` loads nothing heavy. Commands only parse, print and return an exit code.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { Command, Option } from 'commander';
import type { GlobalOptions } from './commands/global-options.ts';
import { guardOutput } from './commands/guard-output.ts';

/** The package's version, set by the build (from the sources, `dev`). */
declare const __EVOLVE_VERSION__: string | undefined;
const version = typeof __EVOLVE_VERSION__ === 'undefined' ? 'dev' : __EVOLVE_VERSION__;

// Node 22.1+ keeps the compiled code of the modules a command loads (the CLI's chunks, zod, the evolve
// packages) between runs, as tsc does; Node 20 has no such cache. EVOLVE_NO_CACHE=1 runs without it, like
// without the generate cache.
if (!process.env.EVOLVE_NO_CACHE) (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const program = new Command('evolve')
  .description('Schema evolution for TypeScript: one model history, SQL migrations and document upgraders.')
  .version(version, '-v, --version')
  .option('--config <file>', 'config file (default: evolve.config.ts/.js/.mjs/.json in the project folder)')
  .option('--cwd <dir>', 'project folder (default: the current folder)')
  .option('--url <url>', 'database URL (overrides the config file and DATABASE_URL)')
  .option('--json', 'print data as JSON')
  .option('-y, --yes', 'answer yes to confirmations')
  .option('--debug', 'print stack traces')
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true })
  .addHelpText(
    'after',
    `
Examples:
  $ evolve init                      start a project (config, models, migrations folder)
  $ evolve generate add_email        write the migration for the model changes
  $ evolve up                        apply pending migrations to the database
  $ evolve check --format github     the CI gate (exit 0 clean, 1 error, 2 changes pending)

Every command but init reads evolve.config.ts in the project folder (create it with \`evolve init\`).
Database: --url, DATABASE_URL, or database.url in evolve.config.ts; default: the SQLite file evolve.db beside it.
`,
  );

type Action = (options: any, globals: GlobalOptions, args: string[]) => Promise<number>;

type CommandName = Exclude<keyof typeof import('./commands/index.ts'), 'printError' | 'api'>;

/** Runs a lazily imported command and turns its result or error into an exit code. */
function lazy(name: CommandName) {
  return async (...params: unknown[]) => {
    const command = params.at(-1) as Command;
    const globals = command.optsWithGlobals() as GlobalOptions;
    const args = params
      .slice(0, -2)
      .flat()
      .filter((a): a is string => typeof a === 'string');
    // `generate` with nothing changed since the last run is answered without loading the models.
    if (name === 'generate' && !globals.json) {
      const { knownUnchanged } = await import('./fast/generate-cache.ts');
      if (knownUnchanged(globals)) {
        process.stdout.write('No changes: the models match the latest snapshot. Nothing written.\n');
        if (globals.debug)
          process.stderr.write('debug: answered from the generate cache (EVOLVE_NO_CACHE=1 skips it)\n');
        return;
      }
    }
    // Stack traces through the project's modules name their own files and lines (the modules are bundles
    // with source maps).
    if (globals.debug) process.setSourceMapsEnabled(true);
    // Every command but init loads project modules through esbuild: its service process starts, and the
    // config file is bundled, while the command's code loads.
    if (name !== 'init') {
      const bundler = await import('./project/start-bundler.ts');
      bundler.startBundler();
      const { configPath } = (await import('./fast/generate-cache.ts')).findConfigFile(globals);
      if (configPath && !configPath.endsWith('.json') && existsSync(configPath))
        bundler.prefetchBundle(configPath);
    }
    const commands = await import('./commands/index.ts');
    try {
      const action: Action = commands[name];
      process.exitCode = await action(command.opts(), globals, args);
    } catch (error) {
      process.exitCode = commands.printError(error, globals);
    }
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function examples(...lines: string[]) {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

program
  .command('init')
  .description(
    'start a project: evolve.config.ts, starter models, an empty migrations folder, package.json; prints what to install',
  )
  .addOption(
    new Option(
      '--database <database>',
      'the database the URL placeholder and the driver are for (default: sqlite, or what --url names)',
    ).choices(['sqlite', 'postgres', 'mysql', 'mongodb']),
  )
  .option('--schema <file>', 'the models module to create', 'src/models.ts')
  .addHelpText(
    'after',
    examples(
      'evolve init',
      'evolve init --database postgres',
      'evolve init --url postgres://localhost:5432/app',
      'evolve init --schema src/db/models.ts',
    ),
  )
  .action(lazy('init'));

program
  .command('generate')
  .argument('[name]', 'a name for the migration (default: from the changes)')
  .description('diff the models against the latest snapshot and write the next migration')
  .option(
    '--rename <from=to>',
    'a rename: Model.oldField=newField or OldModel=NewModel (repeatable)',
    collect,
  )
  .option('--drop <path>', 'not a rename: Model.field or Model really was dropped (repeatable)', collect)
  .addHelpText(
    'after',
    examples(
      'evolve generate',
      'evolve generate split_name --rename User.name=fullName',
      'evolve generate --rename Client=Customer',
      'evolve generate --drop User.nickname',
    ),
  )
  .action(lazy('generate'));

program
  .command('plan')
  .argument('[name]', 'the name generate would be given (it only changes the id)')
  .description(
    'show the migration generate would write: its changes, risks, lint findings and SQL (writes nothing)',
  )
  .option('--rename <from=to>', 'as for generate (repeatable)', collect)
  .option('--drop <path>', 'as for generate (repeatable)', collect)
  .option(
    '--dialect <dialect>',
    'dialect for the SQL preview: postgres, mysql or sqlite (default: configured)',
  )
  .option(
    '--cost',
    "estimate each SQL step's lock and duration (row counts from the configured database's statistics) and each document model's upgrade cost per read and sweep duration",
  )
  .addHelpText(
    'after',
    examples('evolve plan', 'evolve plan --dialect postgres --json', 'evolve plan --cost'),
  )
  .action(lazy('plan'));

program
  .command('sql')
  .argument('[ids...]', 'migration ids (default: the pending ones, or all without a database)')
  .description('print the exact SQL of migrations for a dialect')
  .addOption(
    new Option('--dialect <dialect>', 'postgres, mysql or sqlite (default: configured)').choices([
      'postgres',
      'mysql',
      'sqlite',
    ]),
  )
  .option('--all', 'every migration, not only the pending ones')
  .addHelpText(
    'after',
    examples(
      'evolve sql',
      'evolve sql --dialect mysql --all',
      'evolve sql 0002_add_email --dialect postgres',
    ),
  )
  .action(lazy('sql'));

program
  .command('status')
  .description('applied, pending, out-of-order and modified migrations in the configured database')
  .addHelpText(
    'after',
    examples('evolve status', 'DATABASE_URL=postgres://localhost/app evolve status --json'),
  )
  .action(lazy('status'));

program
  .command('up')
  .description('apply pending migrations (with progress for backfills)')
  .option('--to <id>', 'stop after this migration')
  .addHelpText('after', examples('evolve up', 'evolve up --to 0003_split_name'))
  .action(lazy('up'));

program
  .command('down')
  .description('revert applied migrations (default: the last one)')
  .option('--to <id>', 'revert down to this migration (it stays applied); 0 reverts everything')
  .addHelpText(
    'after',
    examples('evolve down', 'evolve down --to 0001_create_user', 'evolve down --to 0 --yes'),
  )
  .action(lazy('down'));

program
  .command('check')
  .description(
    'the CI gate: pending model changes, checksums, TODO transforms, unacknowledged changes, property tests of transforms and upgraders, drift',
  )
  .option('--db', 'also compare the live database with the expected schema (drift)')
  .option(
    '--runs <n>',
    'random rows or documents per property test of transforms and upgraders (0 skips them)',
  )
  .option('--seed <n>', "property-test seed (fixed by default; 'random' for a fresh one)")
  .addOption(
    new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
  )
  .addHelpText(
    'after',
    `${examples('evolve check', 'evolve check --format github', 'evolve check --db --format json', 'evolve check --runs 500 --seed 7')}
Exit codes: 0 clean, 1 error, 2 models changed without a generated migration.
`,
  )
  .action(lazy('check'));

program
  .command('pull')
  .description(
    'read an existing database into a models file and a baseline migration (what cannot be modelled is listed)',
  )
  .option('--tables <names...>', 'only these tables or collections (space- or comma-separated)')
  .option('--mark-applied', 'record the baseline as applied in that database (its tables exist already)')
  .option('--force', 'replace an existing models file')
  .option('--sample <n>', 'MongoDB: documents sampled per collection (default 100)')
  .addHelpText(
    'after',
    `${examples('evolve pull --mark-applied', 'evolve pull --tables users,orders --mark-applied', 'DATABASE_URL=postgres://localhost/app evolve pull --json', 'DATABASE_URL=mongodb://localhost/app evolve pull --sample 500')}
The migrations folder must be empty. Afterwards \`evolve check --db\` compares the models with the database.
`,
  )
  .action(lazy('pull'));

program
  .command('sweep')
  .argument('<model>', 'the document model to upgrade')
  .description('upgrade every stored document of a model to the latest version now (resumable)')
  .option('--batch-size <n>', 'documents per batch', '2000')
  .option('--rate <n>', 'at most this many documents per second')
  .option('--restart', 'start over instead of resuming from the saved checkpoint')
  .addHelpText(
    'after',
    `${examples('evolve sweep Event', 'evolve sweep Event --batch-size 200 --rate 1000', 'evolve sweep Event --restart')}
An interrupted sweep (Ctrl-C, a crash) resumes from its checkpoint when run again.
`,
  )
  .action(lazy('sweep'));

program
  .command('discard')
  .description(
    'undo the newest generate: remove the newest migration unless it is applied, restore the folder',
  )
  .addHelpText(
    'after',
    `${examples('evolve discard', 'evolve down && evolve discard')}
Refuses while the configured database has the migration applied: revert it with \`evolve down\` first.
`,
  )
  .action(lazy('discard'));

program
  .command('hash')
  .description('re-hash the migrations folder into evolve.sum (after a deliberate edit)')
  .addHelpText('after', examples('evolve hash'))
  .action(lazy('hash'));

guardOutput();
await program.parseAsync(process.argv);
