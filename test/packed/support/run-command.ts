import { execFile } from 'node:child_process';

export interface CommandRun {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The environment of a command in the packed app: the test runner's, without what pnpm and the workspace set
 * (npm_config_*, npm_package_*, DATABASE_URL, NODE_OPTIONS), so npm, pnpm and evolve behave as in a user's shell.
 */
export function appEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|DATABASE_URL$|NODE_OPTIONS$|NODE_PATH$|FORCE_COLOR$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', CI: 'true', ...extra };
}

/** Runs one command (no shell) in `cwd` and resolves with its exit code and output; never rejects. */
export function runCommand(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CommandRun> {
  const [file, ...args] = argv;
  const start = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      file!,
      args,
      {
        cwd: options.cwd,
        env: appEnv(options.env),
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          command: argv.join(' '),
          code,
          stdout: String(stdout),
          stderr: String(stderr),
          ms: performance.now() - start,
        });
      },
    );
    child.stdin?.end();
  });
}

/** Runs a command and fails with its output unless it exits with `exit` (default 0). */
export async function mustRun(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string>; exit?: number; timeoutMs?: number },
): Promise<CommandRun> {
  const run = await runCommand(argv, options);
  if (run.code !== (options.exit ?? 0)) {
    throw new Error(
      `\`${run.command}\` in ${options.cwd} exited ${run.code} (expected ${options.exit ?? 0})\n${run.stdout}\n${run.stderr}`,
    );
  }
  return run;
}
