import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliError, type SeenError } from './error-of.ts';
import { type ChildResult, REPO_ROOT, runChild } from './run-child.ts';

/**
 * Temporary evolve projects for CLI tests. They live under test/reliability/.tmp (git-ignored), inside the
 * workspace, so that `@evolve/core` and `zod` resolve from the project's files as they would in an app.
 */
export const TMP_ROOT = join(REPO_ROOT, 'test/reliability/.tmp');

/** The config every project starts with: a plain object (the `evolve` package is not resolvable from test/). */
export const PLAIN_CONFIG = "export default { schema: './src/models.ts', migrations: './migrations' };\n";

export interface Project {
  dir: string;
  write(file: string, text: string): void;
  read(file: string): string;
  /** Copies the project into a new folder. */
  copy(): Project;
  remove(): void;
}

function project(dir: string): Project {
  return {
    dir,
    write(file, text) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    copy() {
      const to = join(TMP_ROOT, `p-${randomBytes(5).toString('hex')}`);
      cpSync(dir, to, { recursive: true });
      return project(to);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A new project folder with the plain config and the given models module. */
export function createProject(models: string): Project {
  const p = project(join(TMP_ROOT, `p-${randomBytes(5).toString('hex')}`));
  mkdirSync(p.dir, { recursive: true });
  p.write('evolve.config.ts', PLAIN_CONFIG);
  p.write('src/models.ts', models);
  return p;
}

export interface CliRun extends ChildResult {
  error: SeenError | undefined;
}

/** Runs `evolve <args>` in a project folder (through `node --import tsx apps/cli/src/bin.ts`). */
export async function evolveCli(
  p: Project,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const r = await runChild('apps/cli/src/bin.ts', {
    args,
    cwd: p.dir,
    env: { NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    timeoutMs: 60_000,
  });
  return { ...r, error: cliError(r.stderr) };
}

/** The account models module at a version, as an application writes it. */
export function accountModels(
  options: { tier?: boolean; dropBalance?: boolean; extra?: string } = {},
): string {
  const fields = [
    'id: z.number().int()',
    'name: z.string().max(100)',
    ...(options.dropBalance ? [] : ['balance: z.number().int()']),
    ...(options.tier ? ["tier: z.enum(['free', 'pro']).default('free')"] : []),
  ];
  return `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const Account = defineModel('Account', {
  table: 'accounts',
  shape: { ${fields.join(', ')} },
});
${options.extra ?? ''}
export default defineSchema([Account]);
`;
}
