import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECT_OF, describeSqlEngines, type SqlEngineName } from '@evolve/harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedAccount } from './support/account-history.ts';
import { dropAccounts } from './support/accounts-db.ts';
import { FILE_INPUTS } from './support/bad-input-cli-files.ts';
import { MORE_CLI_INPUTS } from './support/bad-input-cli-inputs.ts';
import { type CliInput, type EngineEnv, UP } from './support/bad-input-cli-kit.ts';
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
const CORPUS: CliInput[] = [...MORE_CLI_INPUTS, ...FILE_INPUTS];

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

    it(`the CLI corpus has at least 40 inputs (${CORPUS.length})`, () => {
      expect(CORPUS.length).toBeGreaterThanOrEqual(40);
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
