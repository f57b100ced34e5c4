import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../scripts/build.ts';

/** apps/cli/test/.tmp: inside the package, so the temp projects resolve @evolve/* and zod through node_modules. */
export const TMP = fileURLToPath(new URL('../.tmp', import.meta.url));

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** Builds the CLI bundle into a folder of its own (test files run in parallel), returns the bin path. */
export async function buildTestCli(): Promise<{ bin: string; cleanup(): void }> {
  const outdir = join(TMP, unique('dist'));
  const bin = await buildCli({ quiet: true, outdir });
  return { bin, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with no terminal (stdin ignored), no colors and no inherited DATABASE_URL. */
export function runCli(
  bin: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ...options.env,
  };
  if (!options.env?.DATABASE_URL) delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end();
  });
}

/** A temporary project folder with helpers to run the CLI in it and edit its files. */
export interface TempProject {
  dir: string;
  run(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  write(file: string, text: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  /** Every file below the project (relative paths), for "writes nothing" assertions. */
  files(): string[];
  remove(): void;
}

export function tempProject(bin: string, name: string): TempProject {
  const dir = join(TMP, unique(name));
  mkdirSync(dir, { recursive: true });
  const list = (d: string, prefix = ''): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
  return {
    dir,
    run: (args, env) => runCli(bin, args, { cwd: dir, ...(env ? { env } : {}) }),
    write(file, text) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    exists: (file) => existsSync(join(dir, file)),
    files: () => list(dir).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
