import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

const LOCKFILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
];

/**
 * The project's package manager: from its lockfile, else from the one running this process
 * (`npm_config_user_agent`, set by `npx`, `pnpm exec`, `yarn`), else npm.
 *
 * @example
 * detectPackageManager('/app', process.env); // 'pnpm' when /app/pnpm-lock.yaml exists
 */
export function detectPackageManager(
  dir: string,
  env: Record<string, string | undefined> = process.env,
): PackageManager {
  for (const [file, manager] of LOCKFILES) if (existsSync(join(dir, file))) return manager;
  const agent = env.npm_config_user_agent ?? '';
  for (const manager of ['pnpm', 'yarn', 'bun'] as const) if (agent.startsWith(`${manager}/`)) return manager;
  return 'npm';
}

/**
 * The command that adds packages with a package manager, or undefined when there are none to add.
 *
 * @example
 * installCommand('pnpm', ['@evolve/cli'], { dev: true }); // 'pnpm add -D @evolve/cli'
 */
export function installCommand(
  manager: PackageManager,
  packages: readonly string[],
  options: { dev?: boolean } = {},
): string | undefined {
  if (packages.length === 0) return undefined;
  const add = manager === 'npm' ? 'npm install' : `${manager} add`;
  const dev = options.dev ? (manager === 'npm' ? ' --save-dev' : manager === 'bun' ? ' -d' : ' -D') : '';
  return `${add}${dev} ${packages.join(' ')}`;
}
